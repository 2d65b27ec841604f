// Runs every bench/*.bench.js beside this file: `node dist-bench/bench/run.js [--quick] [--only <area>]`.
// A full run's rows go to bench/results.json and docs/performance.*; a --quick run never touches those (its
// numbers are noise): it writes under $TMPDIR/bloomcoin-bench-quick/. Every run prints the targets table.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { mergeResults, printTable, type BenchCtx } from './lib.js';

type BenchFn = (ctx: BenchCtx) => Promise<object[]>;

const USAGE = 'usage: run.js [--quick] [--only <area>]';
// strict: an unknown option (a typo, --help) prints the usage instead of starting a full run that rewrites bench/results.json
let parsed: { quick?: boolean; only?: string; help?: boolean };
try {
  parsed = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}
const quick = parsed.quick === true;
const only = parsed.only;

const here = fileURLToPath(new URL('.', import.meta.url));
// dist-bench/bench/run.js → <root>/bench/results.json; when run from bench/ directly, beside it
const quickDir = join(tmpdir(), 'bloomcoin-bench-quick');
if (quick) await mkdir(quickDir, { recursive: true });
const resultsFile = quick
  ? join(quickDir, 'results.json')
  : here.includes(`${join('dist-bench', 'bench')}`)
    ? fileURLToPath(new URL('../../bench/results.json', import.meta.url))
    : join(here, 'results.json');
const ext = import.meta.url.endsWith('.ts') ? '.bench.ts' : '.bench.js';
const files = (await readdir(here)).filter((f) => f.endsWith(ext)).sort();
const areas = files.map((f) => f.slice(0, -ext.length)).filter((a) => !only || a === only);
if (areas.length === 0) {
  console.error(`no bench area matches ${only ?? '*'} (have: ${files.join(', ')})`);
  process.exit(2);
}

const ctx: BenchCtx = { quick };
let failed = 0;
for (const area of areas) {
  const mod = (await import(pathToFileURL(join(here, area + ext)).href)) as { default?: BenchFn; writesQuick?: boolean };
  if (typeof mod.default !== 'function') {
    console.error(`${area}: no default export`);
    failed++;
    continue;
  }
  try {
    const rows = await mod.default(ctx);
    printTable(area, rows);
    if (!quick || mod.writesQuick !== false) await mergeResults(resultsFile, area, rows, ctx);
    else console.log(`${area}: quick figures are not written to results.json`);
  } catch (err) {
    console.error(`${area}: ${(err as Error).stack ?? String(err)}`);
    failed++;
  }
}
console.log(`\nresults: ${resultsFile}${quick ? ' (--quick: the committed bench/results.json and docs/performance.* are left alone)' : ''}`);
const chart = await import('./chart.js');
// a quick run of an area that never writes quick figures (ibd) leaves no results file: nothing to chart
if (!existsSync(resultsFile)) process.exit(failed ? 1 : 0);
try {
  console.log('\n' + chart.terminalTargets(JSON.parse(await readFile(resultsFile, 'utf8'))));
} catch (err) {
  console.error(`targets: ${(err as Error).message}`);
}
// the chart and tables come from the results just written (for --quick, beside them in the temp dir)
try {
  await chart.writeChart(
    quick ? { results: resultsFile, svg: join(quickDir, 'performance.svg'), doc: join(quickDir, 'performance.md') } : chart.COMMITTED,
  );
} catch (err) {
  console.error(`chart: ${(err as Error).message}`);
}
process.exit(failed ? 1 : 0);
