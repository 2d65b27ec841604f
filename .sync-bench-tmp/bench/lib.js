// Benchmark helpers shared by every bench/<area>.bench.ts.
//
// Convention: a bench module exports `default async function (ctx: BenchCtx): Promise<object[]>`.
// bench/run.ts imports every *.bench.js beside it, prints each area's rows as a table and stores
// them in bench/results.json under the area name (the file name without .bench.ts).
// Rows may have any flat shape; `measure()` below produces the standard comparison row.
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { Bench } from 'tinybench';
/** tinybench time budgets for a context. */
export const budget = (ctx) => ctx.quick ? { time: 120, warmupTime: 20, iterations: 3 } : { time: 800, warmupTime: 150, iterations: 10 };
/**
 * Runs the cases of one kernel at one size in a tinybench Bench and returns one row per case,
 * with ratios against the case named `baseline`. Throws if a case errors.
 */
export async function measure(kernel, size, baseline, cases, ctx) {
    const bench = new Bench({ name: `${kernel} ${size}`, ...budget(ctx) });
    for (const c of cases)
        bench.add(c.impl, c.fn);
    await bench.run();
    const rows = cases.map((c, i) => {
        const r = bench.tasks[i].result;
        if (r.state !== 'completed' || !r.throughput)
            throw new Error(`${kernel}/${c.impl}: ${r.state} ${String(r.error ?? '')}`);
        return { kernel, size, impl: c.impl, opsPerSec: r.throughput.mean * (c.items ?? 1), ratio: 1 };
    });
    const base = rows.find((r) => r.impl === baseline);
    if (!base)
        throw new Error(`${kernel}: no baseline case "${baseline}"`);
    for (const r of rows)
        r.ratio = r.opsPerSec / base.opsPerSec;
    return rows;
}
const fmt = (v) => {
    if (typeof v !== 'number')
        return String(v ?? '');
    if (Number.isInteger(v))
        return v.toLocaleString('en-US');
    if (Math.abs(v) >= 1000)
        return Math.round(v).toLocaleString('en-US');
    return v.toPrecision(3);
};
/** Prints rows of any flat shape as an aligned text table (columns = union of keys). */
export function printTable(title, rows) {
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cells = rows.map((r) => cols.map((c) => fmt(r[c])));
    const width = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
    const line = (vals) => vals.map((v, i) => v.padEnd(width[i])).join('  ');
    console.log(`\n## ${title}\n${line(cols)}\n${line(width.map((w) => '-'.repeat(w)))}`);
    for (const row of cells)
        console.log(line(row));
}
/** Stores an area's rows in results.json (other areas' entries are kept). */
export async function mergeResults(file, area, rows, ctx) {
    let all = {};
    try {
        all = JSON.parse(await readFile(file, 'utf8'));
    }
    catch {
        // first run, or an unreadable file: start afresh
    }
    all[area] = {
        updated: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        threads: availableParallelism(),
        quick: ctx.quick,
        rows: [...rows],
    };
    await writeFile(file, `${JSON.stringify(all, null, 2)}\n`);
}
//# sourceMappingURL=lib.js.map