// In-process header sync against the real store: how long the main thread waits for LevelDB, and how
// many batches the store makes of the commits (group commit, docs/chain.md). Every addHeaders call is
// issued at once, as a fast peer's pipelined replies would be; the chain serializes them.
// Run: npx tsc -p tsconfig.bench.json && node dist-bench/bench/header-writes.js [headers] [perCall]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../src/chain/chain.js';
import { loadCore } from '../src/core/index.js';
import { makeHeaders, PROFILE } from './headers.js';

/** CPU ms of this process's main thread (/proc/self/task/<pid>/stat, ticks of 10 ms). */
function mainThreadMs(): number {
  const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const n = Number(process.argv[2] ?? 20_000);
const per = Number(process.argv[3] ?? 500);
const core = await loadCore();
const headers = makeHeaders(core, n);
const dir = mkdtempSync(join(tmpdir(), 'bloom-header-writes-'));
const now = PROFILE.genesisTime + (n + 10) * PROFILE.blockTimeSec * 1000;
const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core, now: () => now });
try {
  const b0 = chain.store.batchesWritten;
  const c0 = chain.store.commitsWritten;
  const m0 = mainThreadMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const calls: Promise<{ code?: string }>[] = [];
  for (let i = 0; i < n; i += per) calls.push(chain.addHeaders(headers.slice(i, i + per)));
  for (const c of calls) {
    const r = await c;
    if (r.code) throw new Error(`rejected: ${r.code}`);
  }
  await chain.store.idle();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const main = mainThreadMs() - m0;
  console.log(
    JSON.stringify({
      headers: n,
      perCall: per,
      headersPerSec: Math.round((n * 1000) / ms),
      wallMs: Math.round(ms),
      // the main thread's share of the wall time: the rest it waited (for LevelDB, or for its CPU share)
      mainThreadBusy: Number((main / ms).toFixed(2)),
      mainUsPerHeader: Number(((main * 1000) / n).toFixed(1)),
      processCpuUsPerHeader: Number(((cpu.user + cpu.system) / n).toFixed(1)),
      commits: chain.store.commitsWritten - c0,
      batches: chain.store.batchesWritten - b0,
    }),
  );
} finally {
  await chain.close();
  rmSync(dir, { recursive: true, force: true });
}
