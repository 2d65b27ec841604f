#!/usr/bin/env node
// `npm run sim -- --nodes 1000 --degree 8 --latency 50ms --loss 0.01 --strategy bloom --seconds 600 [--json out.json] [--plot f.svg]`
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { loadCore } from '../core/index.js';
import { InputError } from '../errors.js';
import { parseStrategy } from '../gossip/strategy.js';
import { DEFAULT_RELAY, parseRelayMode, type RelayMode } from '../gossip/aggregate.js';
import { lineChart, type Series } from './plot.js';
import type { LatencySpec } from './rng.js';
import { DEFAULT_SIM_OPTIONS, runSimulation, type SimOptions, type SimReport } from './simulator.js';
import { formatTable } from './table.js';
import { formatHostile, parseAttack } from './sybil.js';

/** "50ms", "0.05s", "50" (ms), "uniform:20ms-80ms", "lognormal:50ms:0.5" (median, sigma). */
export function parseLatency(s: string): LatencySpec {
  const ms = (v: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v.trim());
    if (!m) throw new InputError('bad-latency', `--latency: "${v}" is not a duration like 50ms`);
    return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  };
  if (s.startsWith('uniform:')) {
    const [a, b] = s.slice(8).split('-');
    if (a === undefined || b === undefined) throw new InputError('bad-latency', '--latency: expected uniform:MIN-MAX');
    const min = ms(a);
    const max = ms(b);
    if (max < min) throw new InputError('bad-latency', '--latency: uniform max below min');
    return { kind: 'uniform', min, max };
  }
  if (s.startsWith('lognormal:')) {
    const [a, b] = s.slice(10).split(':');
    const sigma = Number(b ?? '0.5');
    if (a === undefined || !(sigma >= 0 && sigma <= 3)) throw new InputError('bad-latency', '--latency: expected lognormal:MEDIAN[:SIGMA]');
    return { kind: 'lognormal', median: ms(a), sigma };
  }
  return { kind: 'fixed', ms: ms(s) };
}

/** "0" (unlimited), "125000" (bytes/s), "1MB/s", "10Mbit". */
export function parseBandwidth(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kbit|mbit|gbit)?(?:\/s)?$/i.exec(s.trim());
  if (!m) throw new InputError('bad-bandwidth', `--bandwidth: "${s}" is not like 1MB/s or 10Mbit`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kbit: 125, mbit: 125e3, gbit: 125e6 };
  return Number(m[1]) * mult[unit]!;
}

function num(name: string, min: number, max: number, int = false) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
      throw new InputError('bad-option', `--${name}: expected ${int ? 'an integer' : 'a number'} from ${min} to ${max}, got "${v}"`);
    }
    return n;
  };
}

function parseOnOff(v: string): boolean {
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new InputError('bad-option', `--cpu: expected on or off, got "${v}"`);
}

function nodeList(v: string): number[] {
  return v.split(',').map((x) => num('nodes', 2, 100_000, true)(x));
}

export function buildCommand(): Command {
  const d = DEFAULT_SIM_OPTIONS;
  return new Command('bloomcoin-sim')
    .description('Run real BloomCoin nodes on an in-memory network with virtual time')
    .option('--nodes <n[,n…]>', 'nodes (a list runs each size and plots them together)', nodeList, [d.nodes])
    .option('--degree <n>', 'peer slots per node (maxPeers)', num('degree', 2, 128, true), d.degree)
    .option('--latency <spec>', 'one-way link latency: 50ms | uniform:20ms-80ms | lognormal:50ms:0.5', parseLatency, d.latency)
    .option('--bandwidth <rate>', 'per connection direction: 0 = unlimited, 1MB/s, 10Mbit', parseBandwidth, d.bandwidth)
    .option('--loss <p>', 'chunk loss probability (resent after an RTO)', num('loss', 0, 0.5), d.loss)
    .option('--strategy <name>', 'gossip strategy: eager | threshold | bloom', (v) => parseStrategy(v), d.strategy)
    .option('--relay <mode>', 'PHASE relay: aggregate | flood (seed 2.6)', (v) => parseRelayMode(v), DEFAULT_RELAY)
    .option('--seconds <s>', 'virtual seconds to run', num('seconds', 1, 86_400), d.seconds)
    .option('--miners <n>', 'mining nodes', num('miners', 0, 10_000, true), d.miners)
    .option('--churn <f>', 'fraction of nodes replaced per virtual minute', num('churn', 0, 1), d.churn)
    .option('--seed <n>', 'PRNG seed', num('seed', 0, 2 ** 32 - 1, true), d.seed)
    .option('--round-ms <ms>', 'coherence round / gossip interval (mainnet 618)', num('round-ms', 10, 60_000, true), d.roundMs)
    .option('--block-time <s>', 'target block interval (sets the miners\' virtual hashrate)', num('block-time', 1, 86_400), d.blockTimeSec)
    .option('--oscillators <n>', 'oscillators per miner', num('oscillators', 64, 1 << 16, true), d.oscillators)
    .option('--start-spread <ms>', 'nodes start uniformly over this many ms', num('start-spread', 0, 3_600_000, true), d.startSpreadMs)
    .option('--cpu <on|off>', 'charge CPU time per received frame in virtual time (bench/results.json costs)', parseOnOff, d.cpu)
    .option('--tx-rate <tx/s>', 'signed transactions per virtual second through the real mempools', num('tx-rate', 0, 10_000), d.txRate)
    .option('--partition <from:to>', 'cut the network in two halves from s to s')
    .option('--json <file>', 'write the full report(s) as JSON')
    .option('--plot <file>', 'write coverage against time as SVG')
    .option('--from <files>', 'no simulation: plot (and tabulate) saved JSON reports, comma-separated')
    .option('--sybils <n>', 'hostile nodes among the honest ones (src/sim/sybil.ts)', num('sybils', 0, 100_000, true))
    .option('--attack <kind>', 'silent | liar | squat | addr-poison | nonce-replay | all', parseAttack, 'all')
    .option('--attack-at <s>', 'virtual second the sybils arrive (0 = cold boot)', num('attack-at', 0, 86_400), 0)
    .option('--compare', 'also run the same seed without sybils and report both')
    .option('--quiet', 'no progress lines');
}

export function coveragePlot(reports: SimReport[]): string {
  const roundMs = reports[0]?.params.roundMs ?? 618;
  const series: Series[] = reports.map((r) => ({
    name: `N = ${r.params.nodes}: ${r.blocks.measured} blocks, bound ${((r.bounds.pushGossipRounds * roundMs) / 1000).toFixed(1)} s`,
    points: r.blocks.curve.map(([t, f]) => [t, f * 100] as const),
  }));
  const last = Math.max(2.5, ...reports.map((r) => (r.blocks.seconds.max.p100 ?? 0) * 1.2));
  const vlines = [{ x: 2, label: 'seed: ~2 s for 1000 nodes', color: '#d62728' }];
  // log2 N + ln N rounds of the seed's 618 ms: drawn only when inside the plotted range (else in the legend).
  for (const r of reports) {
    const x = (r.bounds.pushGossipRounds * roundMs) / 1000;
    if (x <= last) vlines.push({ x, label: `log2N+lnN rounds, N=${r.params.nodes}`, color: '#777' });
  }
  const first = reports[0]!.params;
  return lineChart({
    title: `Block coverage, max_peers ${first.degree}, latency ${fmtLatency(first.latency)}, loss ${first.loss}, ${first.strategy}`,
    xLabel: 'seconds since the block was mined',
    yLabel: '% of nodes with the block on their best chain',
    series: series.map((s) => ({ ...s, points: s.points.filter(([t]) => t <= last) })),
    vlines,
    xMax: last,
    yMax: 100,
  });
}

function fmtLatency(l: LatencySpec): string {
  return l.kind === 'fixed' ? `${l.ms} ms` : l.kind === 'uniform' ? `${l.min}–${l.max} ms` : `lognormal(${l.median} ms, σ ${l.sigma})`;
}

async function main(argv: string[]): Promise<void> {
  const cmd = buildCommand();
  cmd.parse(argv);
  const o = cmd.opts<{
    nodes: number[]; degree: number; latency: LatencySpec; bandwidth: number; loss: number; strategy: SimOptions['strategy']; relay: RelayMode;
    seconds: number; miners: number; churn: number; seed: number; roundMs: number; blockTime: number; oscillators: number; startSpread: number;
    cpu: boolean; txRate: number; partition?: string; json?: string; plot?: string; quiet?: boolean; from?: string;
    sybils?: number; attack: ReturnType<typeof parseAttack>; attackAt: number; compare?: boolean;
  }>();
  if (o.from) {
    const reports = o.from.split(',').flatMap((f) => {
      const v = JSON.parse(readFileSync(f, 'utf8')) as SimReport | SimReport[];
      return Array.isArray(v) ? v : [v];
    });
    for (const r of reports) process.stdout.write(formatTable(r) + '\n\n');
    if (o.plot) {
      mkdirSync(dirname(o.plot), { recursive: true });
      writeFileSync(o.plot, coveragePlot(reports));
    }
    return;
  }
  let partition: SimOptions['partition'];
  if (o.partition) {
    const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(o.partition);
    if (!m || Number(m[2]) <= Number(m[1])) throw new InputError('bad-option', '--partition: expected FROM:TO seconds, FROM < TO');
    partition = { fromSec: Number(m[1]), toSec: Number(m[2]) };
  }
  const core = await loadCore();
  const reports: SimReport[] = [];
  for (const n of o.nodes) {
    const opts: Partial<SimOptions> = {
      nodes: n,
      degree: o.degree,
      latency: o.latency,
      bandwidth: o.bandwidth,
      loss: o.loss,
      strategy: o.strategy,
      relay: o.relay,
      seconds: o.seconds,
      miners: o.miners,
      churn: o.churn,
      seed: o.seed,
      roundMs: o.roundMs,
      blockTimeSec: o.blockTime,
      oscillators: o.oscillators,
      startSpreadMs: o.startSpread,
      partition,
      cpu: o.cpu,
      txRate: o.txRate,
      onProgress: o.quiet ? undefined : (v, w) => process.stderr.write(`  N=${n}: ${v.toFixed(0)} virtual s after ${w.toFixed(0)} s\n`),
    };
    if (!o.quiet) process.stderr.write(`simulating ${n} nodes for ${o.seconds} virtual s…\n`);
    if (o.sybils !== undefined) opts.sybils = { count: o.sybils, attack: o.attack, atSec: o.attackAt };
    const r = await runSimulation(core, opts);
    reports.push(r);
    process.stdout.write(formatTable(r) + '\n');
    if (o.sybils !== undefined && o.compare) {
      if (!o.quiet) process.stderr.write(`the same run without sybils…\n`);
      const base = await runSimulation(core, { ...opts, sybils: { count: 0, attack: o.attack, atSec: o.attackAt } });
      reports.push(base);
      process.stdout.write(formatHostile(r.hostile!, base.hostile) + '\n');
    } else if (r.hostile) process.stdout.write(formatHostile(r.hostile) + '\n');
  }
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    writeFileSync(o.json, JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
  }
  if (o.plot) {
    mkdirSync(dirname(o.plot), { recursive: true });
    writeFileSync(o.plot, coveragePlot(reports));
  }
}

// Run only as a program, not when imported (tests use the parsers and the plot).
const YOUNG_GEN_FLAG = '--max-semi-space-size=64';
/** 10 000 real nodes need several GB of heap (address books, stores). */
const OLD_GEN_FLAG = '--max-old-space-size=12288';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Millions of short-lived message buffers: a bigger young generation cuts GC time by about a fifth;
  if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) && process.env.BLOOMCOIN_SIM_CHILD !== '1') {
    const heap = process.execArgv.some((a) => a.startsWith('--max-old-space-size')) ? [] : [OLD_GEN_FLAG];
    const r = spawnSync(process.execPath, [YOUNG_GEN_FLAG, ...heap, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, BLOOMCOIN_SIM_CHILD: '1' },
    });
    process.exit(r.status ?? 1);
  }
  main(process.argv).catch((err: unknown) => {
    const e = err as { code?: string; message?: string };
    process.stderr.write(`bloomcoin-sim: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}\n`);
    process.exitCode = e instanceof InputError ? 2 : 1;
  });
}
