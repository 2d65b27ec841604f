// The short human-readable summary of one simulation report.
import type { Quantiles, SimReport } from './simulator.js';

const q = (x: Quantiles, unit = ''): string => [x.p50, x.p90, x.p100].map((v) => (v === null ? '—' : `${v}${unit}`)).join(' / ');
const kb = (b: number): string => `${(b / 1000).toFixed(2)} KB/s`;

export function formatTable(r: SimReport): string {
  const p = r.params;
  const rows: [string, string][] = [
    ['nodes / degree / miners', `${p.nodes} / ${p.degree} / ${p.miners}  (online ${r.network.online}, +${r.network.joins} −${r.network.leaves})`],
    ['graph', `mean degree ${r.network.graph.meanDegree}, components ${r.network.graph.components}, diameter ${r.network.graph.diameter}, mean path ${r.network.graph.meanPath}`],
    ['blocks mined / main / measured', `${r.blocks.mined} / ${r.blocks.mainChain} / ${r.blocks.measured}, mean interval ${r.blocks.meanIntervalSec ?? '—'} s`],
    ['block → 50/90/100 % (median s)', `${q(r.blocks.seconds.median, ' s')}   (least reached: ${r.blocks.minReached === null ? '—' : `${(r.blocks.minReached * 100).toFixed(2)} %`})`],
    ['block → 50/90/100 % (worst s)', q(r.blocks.seconds.max, ' s')],
    ['relay hops 50/90/100 % (median)', `${q(r.blocks.hops.median)}   (log2 N + ln N = ${r.bounds.pushGossipRounds})`],
    ['seed rounds (s / round) 50/90/100', q(r.blocks.gossipRounds.median)],
    ['r > Z_C: first miner / net 50/90/100', `${r.coherence.firstMinerAboveZc ?? '—'} s / ${q(r.coherence.networkAboveZc, ' s')}`],
    ['traffic per node / per peer', `${kb(r.bandwidth.bytesPerNodePerSec)} / ${kb(r.bandwidth.bytesPerPeerPerSec)}`],
    [
      'by type (per node)',
      Object.entries(r.bandwidth.byType)
        .slice(0, 6)
        .map(([k, v]) => `${k} ${kb(v.bytesPerNodePerSec)}`)
        .join(', '),
    ],
    [
      'duplicates per delivered',
      Object.entries(r.duplicates)
        .map(([k, v]) => `${k} ${v.perDelivered.toFixed(2)}`)
        .join(', '),
    ],
    ['forks', `competing heights ${r.forks.competingHeights}, stale ${r.forks.staleBlocks}, reorgs ${r.forks.reorgs}, max depth ${r.forks.maxReorgDepth}`],
    ['final tips', `${r.tips.distinct} distinct, majority ${(r.tips.majorityShare * 100).toFixed(1)} % at height ${r.tips.majorityHeight}`],
    ...(r.tx
      ? ([['tx to all nodes p50/p99 (per node)', `${r.tx.toAllNodes.p50 ?? '—'} / ${r.tx.toAllNodes.p99 ?? '—'} s (${r.tx.perNode.p50 ?? '—'} / ${r.tx.perNode.p99 ?? '—'} s); ${r.tx.accepted} accepted of ${r.tx.generated}, reached all ${r.tx.reachedAllShare === null ? '—' : `${(r.tx.reachedAllShare * 100).toFixed(1)} %`}`]] as [string, string][])
      : []),
    ['cpu busy per node (mean / max)', r.cpu ? `${(r.cpu.meanBusyShare * 100).toFixed(3)} % / ${(r.cpu.maxBusyShare * 100).toFixed(3)} % of the time` : 'off (processing free)'],
    ['memory per node (peak / retained)', `${r.perf.peakPerNodeKB} KB / ${r.perf.retainedPerNodeKB} KB`],
    ['wall time / events', `${r.perf.wallSec} s / ${r.perf.events}`],
  ];
  if (r.errors.timerErrors > 0) rows.push(['timer errors', `${r.errors.timerErrors}: ${r.errors.first[0] ?? ''}`]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
