// Issue 19: a ban made just before a `kill -9` survives the restart, against a real node process (dist/cli.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MsgType } from '../src/wire/types.js';
import { HostileClient, sleep } from './helpers/hostile-client.js';
import { reapAll, startNode } from './helpers/devnet-process.js';

const dirs: string[] = [];

afterEach(async () => {
  HostileClient.destroyAll();
  await reapAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const portOf = (p2p: string): number => Number(p2p.split(':').pop());

describe('a ban and kill -9', () => {
  it('a peer banned just before kill -9 is still refused after the restart on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bloom-ban-kill9-'));
    dirs.push(dataDir);
    const first = await startNode({ dataDir, mine: false });
    const attacker = await HostileClient.handshaken(portOf(first.p2p), {}, '127.63.0.1');
    attacker.sendHeaderOnly(MsgType.BLOCK, 64 * 1024 * 1024); // a frame over 1 MiB: 100 points, banned at once
    await attacker.waitClosed();
    // the moment the banned peer sees its link close, the node dies without any shutdown
    expect((await first.kill()).signal).toBe('SIGKILL');

    const second = await startNode({ dataDir, mine: false });
    const port = portOf(second.p2p);
    // the banned host is refused at accept: closed before the node sends it anything (a VERSION otherwise)
    const again = await HostileClient.connect(port, '127.63.0.1');
    await again.waitClosed(5_000);
    expect(again.rawTypes).toEqual([]);
    // another host still gets in: the refusal is the ban, not a dead node
    const honest = await HostileClient.handshaken(port, {}, '127.64.0.1');
    await honest.roundTrip();
    expect(honest.rawTypes[0]).toBe(MsgType.VERSION);
    await sleep(50);
    expect(honest.closed).toBe(false);
  }, 60_000);
});
