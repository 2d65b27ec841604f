// Mempool memory at its byte cap, in a fresh process (bench/mempool-rss.ts with --expose-gc): RSS of a process
// that ran other benches first says little. Issue 19's target: ≤ 1 KiB of RSS per 140-byte tx at the cap.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchCtx } from './lib.js';

export default async function mempool(ctx: BenchCtx): Promise<object[]> {
  const capMiB = ctx.quick ? 2 : 8; // 8 MiB: the default cap
  const ts = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(ts ? './mempool-rss.ts' : './mempool-rss.js', import.meta.url));
  const [cmd, args] = ts ? ['npx', ['vite-node', script, String(capMiB)]] : [process.execPath, ['--expose-gc', script, String(capMiB)]];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: ts ? { ...process.env, NODE_OPTIONS: '--expose-gc' } : process.env });
    let s = '';
    child.stdout.on('data', (d: Buffer) => (s += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`mempool-rss exited ${code}`))));
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { txs: number; memoryBytes: number; rssPerTx: number; heapPerTx: number; externalPerTx: number; gc: boolean };
  if (!r.gc) throw new Error('mempool-rss ran without --expose-gc');
  return [{ kernel: 'mempool memory at the cap', size: `${capMiB} MiB`, impl: 'slab', txs: r.txs, accountedBytes: r.memoryBytes, rssPerTx: r.rssPerTx, heapPerTx: r.heapPerTx, externalPerTx: r.externalPerTx }];
}
