// Whole-node crash consistency (torture size): 60 SIGKILLs of a mining devnet node with transactions in
// flight; a fresh seed each run unless CRASH_SEED is set (failures name their seed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restartAndMine, runCrashHarness } from '../helpers/crash-harness.js';
import { assertBuilt, reapAll } from '../helpers/devnet-process.js';

const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
const KILLS = Number(process.env.CRASH_KILLS ?? 60);
const dirs: string[] = [];

afterEach(async () => {
  await reapAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('crash consistency torture', () => {
  it(`survives ${KILLS} SIGKILLs (seed ${SEED})`, { timeout: 15 * 60_000 }, async () => {
    assertBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'bloom-crash-torture-'));
    dirs.push(dataDir);
    const rep = await runCrashHarness({ dataDir, kills: KILLS, seed: SEED, log: (l) => console.log(l) });
    expect(rep.rounds).toHaveLength(KILLS);
    expect(rep.rounds.filter((r) => r.phase === 'startup').length).toBeGreaterThan(0);
    expect(rep.finalHeight).toBeGreaterThan(KILLS / 2);
    expect(rep.txsOnChain).toBeGreaterThan(KILLS);
    expect(rep.txsConfirmedChecked).toBeGreaterThan(0);
    console.log(`seed ${SEED}: height ${rep.finalHeight}, ${rep.txsOnChain} txs on chain, ${rep.txsConfirmedChecked} confirmations re-checked`);
    expect(await restartAndMine(dataDir, rep.finalHeight)).toBeGreaterThan(rep.finalHeight);
  });
});
