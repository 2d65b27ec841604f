// A mainnet node with no seeds and no known addresses says it is isolated, in /status and at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApi } from '../src/api/server.js';
import { createMetrics } from '../src/api/metrics.js';
import { resolveConfig } from '../src/config.js';
import { BloomNode } from '../src/node.js';
import { silentLogger } from '../src/log.js';

const dir = mkdtempSync(join(tmpdir(), 'bloom-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function statusOf(extra: Record<string, unknown>): Promise<{ warnings: string[]; network: string; height: number }> {
  const config = resolveConfig({ host: '127.0.0.1', port: 0, apiPort: 0, mine: false, dataDir: join(dir, String(Math.random())), ...extra });
  const node = await BloomNode.create(config, { logger: silentLogger, history: false });
  await node.start();
  const api = await startApi(node, { port: 0, metrics: createMetrics(node, { processMetrics: false }) });
  try {
    return (await (await fetch(api.url + '/status')).json()) as { warnings: string[]; network: string; height: number };
  } finally {
    await api.close();
    await node.stop();
  }
}

describe('/status warnings', () => {
  it('mainnet with no seeds and an empty address book: isolated', async () => {
    const s = await statusOf({ network: 'mainnet' });
    expect(s.network).toBe('mainnet');
    expect(s.height).toBe(0); // the existing fields stay
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/^isolated: mainnet with no --seed .*add --seed host:port/);
  }, 20_000);

  it('mainnet with a seed, or devnet alone: no warning', async () => {
    expect((await statusOf({ network: 'mainnet', seeds: ['127.0.0.1:1'] })).warnings).toEqual([]);
    expect((await statusOf({ network: 'devnet' })).warnings).toEqual([]);
  }, 20_000);
});
