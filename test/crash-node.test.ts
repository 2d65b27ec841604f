// Whole-node crash consistency (CI size): a mining devnet node (dist/cli.js) SIGKILLed 5 times at seeded
// random moments; after each kill the store reopens, never behind what was committed, equal to a replay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restartAndMine, runCrashHarness } from './helpers/crash-harness.js';
import { assertBuilt, reapAll } from './helpers/devnet-process.js';

const SEED = Number(process.env.CRASH_SEED ?? 0x5eed_0010);
const dirs: string[] = [];

afterEach(async () => {
  await reapAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('crash consistency: kill -9 of a mining node', () => {
  it('reopens consistent after 5 SIGKILLs with transactions in flight', { timeout: 60_000 }, async () => {
    assertBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'bloom-crash-'));
    dirs.push(dataDir);
    const lines: string[] = [];
    const rep = await runCrashHarness({ dataDir, kills: 5, seed: SEED, maxRunMs: 3000, log: (l) => (process.env.CRASH_VERBOSE ? console.log(l) : lines.push(l)) });
    expect(rep.rounds).toHaveLength(5);
    // every round checked the floor; the chain grew and carried the harness's transactions
    for (const r of rep.rounds) expect(r.reopened).toBeGreaterThanOrEqual(r.floor);
    expect(rep.finalHeight, lines.join('\n')).toBeGreaterThan(2);
    expect(rep.txsAccepted, lines.join('\n')).toBeGreaterThan(0);
    // and the node itself comes back on that store and keeps mining
    expect(await restartAndMine(dataDir, rep.finalHeight)).toBeGreaterThan(rep.finalHeight);
  });
});
