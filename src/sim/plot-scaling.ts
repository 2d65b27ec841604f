// CLI: docs/sim/relay/1000n-*.json → docs/scaling-phase.svg (npm run plot:scaling).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { phaseScalingChart, phaseSeries, type RelayReport } from './scaling-plot.js';

const dir = process.argv[2] ?? 'docs/sim/relay';
const out = process.argv[3] ?? 'docs/scaling-phase.svg';
const files = readdirSync(dir).filter((f) => /^1000n-.*\.json$/.test(f)).sort();
const reports = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RelayReport);
writeFileSync(out, phaseScalingChart(phaseSeries(reports), 'PHASE per node, 1000 nodes, 618 ms rounds, degree 8'));
console.log(`${out}: ${files.length} reports`);
