// Copies of an unfundable tx that arrive in the same TCP read as the first (while it is being checked) cost
// their sender as reject-cache hits do: a burst in one write is not free.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes } from '../src/bytes.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import { encodeMessageFrame } from '../src/wire/codec.js';
import { MsgType } from '../src/wire/types.js';
import { HostileClient } from './helpers/hostile-client.js';
import { chainDir, copyDir, genesis, getCore, makeBlocks, PROFILE, removeFixtures, startNode, stopAll, waitFor } from './helpers/sync-fixture.js';

let dir: string;

beforeAll(async () => {
  const core = await getCore();
  dir = await chainDir(makeBlocks(core, genesis(core), 3, new Uint8Array(20).fill(0x55)));
}, 30_000);

afterEach(async () => {
  HostileClient.destroyAll();
  await stopAll();
});

afterAll(() => removeFixtures());

describe('transaction replay in one burst', () => {
  it('150 copies of an unfundable tx in one write: the copies checked meanwhile are charged, the sender is banned', async () => {
    const n = await startNode(copyDir(dir));
    const tx = signTx(keyPairFromSeed(new Uint8Array(32).fill(0x42)), { to: new Uint8Array(20).fill(1), amount: 1_000n, fee: 10n, nonce: 0n }, PROFILE.magic);
    const c = await HostileClient.handshaken(n.net.port, {}, '127.0.0.3');
    const frame = encodeMessageFrame({ type: MsgType.TX, tx });
    c.write(concatBytes(Array.from({ length: 150 }, () => frame)));
    await waitFor(() => c.closed, 5_000, 'the burst sender banned');
    expect(n.net.listBans().some((b) => b.host === '127.0.0.3')).toBe(true);
    expect(n.net.stats().invalid['sync-tx-invalid:insufficient-funds']).toBe(1);
  });
});
