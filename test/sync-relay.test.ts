// Transaction relay under replay, over real sockets: a rejected tx is remembered (Core's m_recent_rejects),
// so sending it again costs the sender points and us no signature check.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import type { Core } from '../src/core/types.js';
import { MsgType } from '../src/wire/types.js';
import { chainDir, copyDir, genesis, getCore, makeBlocks, PROFILE, removeFixtures, startNode, stopAll, waitFor } from './helpers/sync-fixture.js';
import { HostileClient } from './helpers/hostile-client.js';

let core: Core;
let dir: string;

beforeAll(async () => {
  core = await getCore();
  dir = await chainDir(makeBlocks(core, genesis(core), 5, new Uint8Array(20).fill(0x55)));
}, 30_000);

afterEach(async () => {
  HostileClient.destroyAll();
  await stopAll();
});

afterAll(() => removeFixtures());

/** Wraps obj[name] to count its calls (the mempool's checks, the chain's validations). */
function countCalls<K extends string>(obj: { [k in K]: (b: never) => unknown }, name: K): { n: number } {
  const calls = { n: 0 };
  const orig = obj[name].bind(obj);
  obj[name] = ((b: never) => {
    calls.n++;
    return orig(b);
  }) as (typeof obj)[K];
  return calls;
}

describe('transaction replay', () => {
  it('an unfundable tx sent again and again is checked once; every copy costs its sender until it is banned', async () => {
    const n = await startNode(copyDir(dir));
    const calls = countCalls(n.mempool, 'add');
    const key = keyPairFromSeed(new Uint8Array(32).fill(9)); // never funded
    const tx = signTx(key, { to: new Uint8Array(20).fill(1), amount: 1_000n, fee: 10n, nonce: 0n }, PROFILE.magic);
    const c = await HostileClient.handshaken(n.net.port, {}, '127.0.0.2');
    for (let i = 0; i < 300 && !c.closed; i++) c.send({ type: MsgType.TX, tx });
    await waitFor(() => c.closed, 5_000, 'replayer banned');
    expect(calls.n).toBe(1);
    expect(n.net.stats().invalid['sync-tx-invalid:insufficient-funds']).toBe(1);
    expect(n.sync.stats().txsRejectCached).toBeGreaterThanOrEqual(99);
    expect(n.net.stats().invalid['sync-tx-rejected-again']).toBeGreaterThanOrEqual(99);
  });

  it('a new tip forgets rejections a block can change: the tx is checked again', async () => {
    const n = await startNode(copyDir(dir));
    const calls = countCalls(n.mempool, 'add');
    const key = keyPairFromSeed(new Uint8Array(32).fill(8));
    const tx = signTx(key, { to: new Uint8Array(20).fill(1), amount: 1_000n, fee: 10n, nonce: 0n }, PROFILE.magic);
    const c = await HostileClient.handshaken(n.net.port, {}, '127.0.0.2');
    c.send({ type: MsgType.TX, tx });
    await waitFor(() => calls.n === 1, 5_000, 'first check');
    const g = { hash: n.chain.tip().hash, header: n.chain.tip().header };
    const next = makeBlocks(core, g, 1, new Uint8Array(20).fill(0x66))[0]!;
    expect((await n.sync.submitBlock(next.bytes)).status).toBe('connected');
    c.send({ type: MsgType.TX, tx });
    await waitFor(() => calls.n === 2, 5_000, 'checked again after the tip moved');
  });
});

describe('block replay', () => {
  it('a block found invalid is not validated again: the second copy costs its sender as much as the first', async () => {
    const n = await startNode(copyDir(dir));
    // sync hands received blocks to the chain with addBlocks
    const calls = countCalls(n.chain, 'addBlocks');
    // a block spending from a key that has nothing: invalid for its hash (the merkle root commits to the tx)
    const key = keyPairFromSeed(new Uint8Array(32).fill(7));
    const tx = signTx(key, { to: new Uint8Array(20).fill(1), amount: 1_000n, fee: 10n, nonce: 0n }, PROFILE.magic);
    const g = { hash: n.chain.tip().hash, header: n.chain.tip().header };
    const bad = makeBlocks(core, g, 1, new Uint8Array(20).fill(0x77), [tx])[0]!;
    const c = await HostileClient.handshaken(n.net.port, {}, '127.0.0.2');
    c.send({ type: MsgType.BLOCK, block: bad.bytes });
    await waitFor(() => n.sync.stats().blocksInvalid === 1, 5_000, 'first copy rejected');
    c.send({ type: MsgType.BLOCK, block: bad.bytes });
    await waitFor(() => c.closed, 5_000, 'banned after the second copy');
    expect(calls.n).toBe(1);
    expect(Object.keys(n.net.stats().invalid).some((k) => k.startsWith('sync-block-rejected-again:'))).toBe(true);
    expect(n.chain.tip().height).toBe(5);
  });
});
