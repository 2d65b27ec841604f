// Steady-state CPU of a simulation: build + runTo(t0), then CPU s, events and an optional inspector profile for t0 → t1.
// node --max-semi-space-size=64 --max-old-space-size=12288 --expose-gc bench/sim-steady.mjs $PWD/dist nodes miners t0 t1 [prof.cpuprofile or -] [report.json]
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const [dist, nodes, miners, t0, t1, prof, json] = process.argv.slice(2);
const { loadCore } = await import(dist + '/core/index.js');
const { Simulation } = await import(dist + '/sim/simulator.js');
const core = await loadCore();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const c0 = cpu(); const w0 = performance.now();
const sim = new Simulation(core, { nodes: +nodes, miners: +miners, seconds: +t1 });
await sim.build();
await sim.runTo(+t0);
const c1 = cpu(); const w1 = performance.now(); const e1 = sim.clock.fired;
let session;
if (prof && prof !== '-') { session = new Session(); session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 500 }); await session.post('Profiler.start'); }
await sim.runTo(+t1);
const c2 = cpu(); const w2 = performance.now(); const e2 = sim.clock.fired;
if (session) { const { profile } = await session.post('Profiler.stop'); writeFileSync(prof, JSON.stringify(profile)); }
const rep = sim.finish();
const mem = process.memoryUsage();
console.log(JSON.stringify({ startCpu: +(c1 - c0).toFixed(1), startWall: +((w1 - w0) / 1000).toFixed(1), startEvents: e1,
  steadyCpu: +(c2 - c1).toFixed(1), steadyWall: +((w2 - w1) / 1000).toFixed(1), steadyEvents: e2 - e1,
  usPerEventSteady: +((c2 - c1) * 1e6 / (e2 - e1)).toFixed(1), heapMB: Math.round(mem.heapUsed / 2**20), rssMB: Math.round(mem.rss / 2**20),
  coh: rep.coherence ?? null }));
if (json) writeFileSync(json, JSON.stringify(rep, null, 2));
await sim.shutdown();
process.exit(0);
