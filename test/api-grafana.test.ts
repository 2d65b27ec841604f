// contrib/grafana/bloomcoin.json only queries metrics that /metrics really exports (a renamed metric fails here).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/api/metrics.js';
import { startApi } from '../src/api/server.js';
import { FakeView } from './helpers/api-fakeview.js';
import { checkPromText } from './helpers/api-promcheck.js';

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

const dashboard = JSON.parse(readFileSync('contrib/grafana/bloomcoin.json', 'utf8')) as {
  panels: Panel[];
  templating: { list: Array<{ query: string }> };
};

/** Metric names a PromQL expression reads: identifiers of our families (functions and labels are not). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:bloomcoin|process|nodejs)_[a-zA-Z0-9_:]*)/g)].map((m) => m[1]!);
}

describe('grafana dashboard', () => {
  it('references only exported metrics, and covers every bloomcoin_ family', async () => {
    const view = new FakeView(3);
    const api = await startApi(view, { port: 0, metrics: createMetrics(view) });
    let text: string;
    try {
      await fetch(api.url + '/status'); // so the request counter has a sample
      text = await (await fetch(api.url + '/metrics')).text();
    } finally {
      await api.close();
    }
    const samples = checkPromText(text);
    const exported = new Set([...samples.keys()].map((k) => k.replace(/\{.*$/, '')));
    const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));

    const exprs = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query)];
    const used = new Set(exprs.flatMap(metricNames));
    expect(used.size).toBeGreaterThan(20);
    // declared families count too: a labelled gauge the fake view leaves empty (mining_backend) is still exported
    const missing = [...used].filter((n) => !exported.has(n) && !families.has(n));
    expect(missing).toEqual([]);
    // every node metric family is on a panel (process metrics may be left out)
    const unplotted = [...families].filter((f) => f.startsWith('bloomcoin_') && !used.has(f));
    expect(unplotted).toEqual([]);
    for (const p of dashboard.panels) expect(p.targets?.length, p.title).toBeGreaterThan(0);
  });
});
