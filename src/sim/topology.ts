// Who starts where: host addresses, bootstrap seeds, churn schedules, partitions and graph measurements.
import type { Rng } from './rng.js';

/** Host of simulated node i: 10.x.y.z (i < 2^24 − 1), the low byte of i + 1 as x so neighbours differ in /16. */
export function hostOf(i: number): string {
  const v = i + 1;
  // low byte in the second octet: consecutive nodes sit in different /16 network groups, as a real network's do
  return `10.${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}`;
}

/** Inverse of hostOf; -1 for a host that is not a simulated node. */
export function indexOf(host: string): number {
  const m = /^10\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return -1;
  return ((Number(m[3]) << 16) | (Number(m[2]) << 8) | Number(m[1])) - 1;
}

/**
 * Bootstrap addresses for node i: k distinct other nodes drawn uniformly from `pool` (the nodes
 * online when it starts). The node's own peer manager then takes it from there (ADDR, dialling).
 */
export function pickSeeds(rng: Rng, self: number, pool: readonly number[], k: number): number[] {
  const out: number[] = [];
  const want = Math.min(k, pool.length - (pool.includes(self) ? 1 : 0));
  const taken = new Set<number>([self]);
  // Rejection sampling: k ≪ |pool| in practice; bounded so a small pool cannot spin.
  for (let tries = 0; out.length < want && tries < 50 * (k + 1); tries++) {
    const c = pool[rng.int(pool.length)]!;
    if (taken.has(c)) continue;
    taken.add(c);
    out.push(c);
  }
  return out;
}

export interface ChurnEvent {
  /** Virtual ms. */
  at: number;
  kind: 'leave' | 'join';
}

/**
 * Churn as a Poisson process: each online node leaves at rate `perMinute` (fraction per virtual
 * minute) and every departure is matched by a fresh node joining, so the size stays about N.
 */
export function churnSchedule(rng: Rng, n: number, perMinute: number, fromMs: number, toMs: number): ChurnEvent[] {
  const out: ChurnEvent[] = [];
  if (!(perMinute > 0) || n <= 0) return out;
  const meanGapMs = 60_000 / (perMinute * n);
  for (let t = fromMs + rng.exp(meanGapMs); t < toMs && out.length < 1_000_000; t += rng.exp(meanGapMs)) {
    const at = Math.round(t);
    out.push({ at, kind: 'leave' }, { at, kind: 'join' });
  }
  return out;
}

/** A cut rule separating two groups of hosts (true = the link between a and b is down). */
export function splitRule(groupA: ReadonlySet<string>): (a: string, b: string) => boolean {
  return (a, b) => groupA.has(a) !== groupA.has(b);
}

export interface GraphStats {
  nodes: number;
  edges: number;
  minDegree: number;
  meanDegree: number;
  maxDegree: number;
  components: number;
  /** Largest BFS eccentricity seen from the sampled sources. */
  diameter: number;
  /** Mean shortest-path length from the sampled sources. */
  meanPath: number;
}

/** Degree, connectivity and path lengths of an undirected graph given as an edge list over node ids. */
export function graphStats(nodes: readonly number[], edges: readonly [number, number][], rng: Rng, sources = 16): GraphStats {
  const adj = new Map<number, Set<number>>();
  for (const v of nodes) adj.set(v, new Set());
  for (const [a, b] of edges) {
    if (a === b || !adj.has(a) || !adj.has(b)) continue;
    adj.get(a)!.add(b);
    adj.get(b)!.add(a);
  }
  let m = 0;
  let minD = Infinity;
  let maxD = 0;
  for (const s of adj.values()) {
    m += s.size;
    minD = Math.min(minD, s.size);
    maxD = Math.max(maxD, s.size);
  }
  const bfs = (src: number): Map<number, number> => {
    const dist = new Map<number, number>([[src, 0]]);
    const q = [src];
    for (let h = 0; h < q.length; h++) {
      const v = q[h]!;
      for (const w of adj.get(v)!) {
        if (dist.has(w)) continue;
        dist.set(w, dist.get(v)! + 1);
        q.push(w);
      }
    }
    return dist;
  };
  let components = 0;
  const seen = new Set<number>();
  for (const v of nodes) {
    if (seen.has(v)) continue;
    components++;
    for (const w of bfs(v).keys()) seen.add(w);
  }
  let diameter = 0;
  let pathSum = 0;
  let pathCount = 0;
  const picks = nodes.length <= sources ? [...nodes] : Array.from({ length: sources }, () => nodes[rng.int(nodes.length)]!);
  for (const s of picks) {
    for (const d of bfs(s).values()) {
      diameter = Math.max(diameter, d);
      if (d > 0) {
        pathSum += d;
        pathCount++;
      }
    }
  }
  return {
    nodes: nodes.length,
    edges: m / 2,
    minDegree: nodes.length ? minD : 0,
    meanDegree: nodes.length ? m / nodes.length : 0,
    maxDegree: maxD,
    components,
    diameter,
    meanPath: pathCount ? pathSum / pathCount : 0,
  };
}

/** Push-gossip bound on rounds to reach all of N nodes (Pittel: log2 N + ln N + O(1)). */
export function pushGossipRounds(n: number): number {
  return n > 1 ? Math.log2(n) + Math.log(n) : 0;
}
