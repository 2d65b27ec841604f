// The built `bloomcoin` binary as a child process: option errors, status/wallet over the API,
// and SIGTERM during mining leaving a store that reopens (needs `npm run build:ts`; npm test builds first).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from './helpers/cli-env.js';

const CLI = resolve('dist/cli.js');
const children: ChildProcess[] = [];
let dir: string;
const isolatedEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => cliEnv(dir, extra);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build:ts first`);
  dir = mkdtempSync(join(tmpdir(), 'bloom-cli-node-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function run(args: string[], timeoutMs = 10_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res, rej) => {
    const c = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv() });
    children.push(c);
    let out = '';
    let err = '';
    c.stdout!.on('data', (d) => (out += d));
    c.stderr!.on('data', (d) => (err += d));
    const t = setTimeout(() => {
      c.kill('SIGKILL');
      rej(new Error(`bloomcoin ${args.join(' ')} timed out; stderr: ${err}`));
    }, timeoutMs);
    c.on('close', (code) => {
      clearTimeout(t);
      res({ code, out, err });
    });
  });
}

interface NodeProc {
  child: ChildProcess;
  api: string;
  logs: any[];
  err: () => string;
  exited: Promise<number | null>;
}

/** Starts `bloomcoin node` on ephemeral ports; resolves once it logs "node ready" with its API URL. */
function startNode(dataDir: string, extra: string[] = []): Promise<NodeProc> {
  const args = ['node', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--oscillators', '256', ...extra];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv() });
  children.push(child);
  const logs: any[] = [];
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`node not ready in 20 s; stderr: ${err}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let rec: any;
      try {
        rec = JSON.parse(line);
      } catch {
        return;
      }
      logs.push(rec);
      if (rec.msg === 'node ready') {
        clearTimeout(t);
        res({ child, api: rec.api, logs, err: () => err, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(t);
      rej(new Error(`node exited with ${code} before ready; stderr: ${err}`));
    });
  });
}

async function status(api: string): Promise<any> {
  const r = await fetch(api + '/status');
  return r.json();
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('bloomcoin binary', () => {
  it('rejects bad options with a clear message and exit code 1', async () => {
    const r = await run(['node', '--port', 'seventy']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: --port: expected an integer from 0 to 65535, got "seventy"/);
    const s = await run(['node', '--seed', '::1']);
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/--seed: .*brackets/);
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['node', 'devnet', 'status', 'wallet']) expect(h.out).toContain(c);
  });

  it('SIGTERM during mining exits 0 and leaves a store that reopens at its tip', async () => {
    const data = join(dir, 'sigterm');
    const a = await startNode(data);
    expect(a.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.err()).toContain(`data dir   ${data}`);
    const mined = await waitFor('a mined block', async () => {
      const s = await status(a.api);
      return s.height >= 1 ? (s as { height: number; tipHash: string }) : undefined;
    }, 20_000);

    // the CLI reads the same API
    const st = await run(['status', '--api', a.api.replace('http://', '')]);
    expect(st.code).toBe(0);
    expect(st.out).toMatch(/network\s+devnet/);
    expect(st.out).toMatch(/mining\s+yes/);
    const bal = await run(['wallet', 'balance', '--data-dir', data, '--api', a.api.replace('http://', '')]);
    expect(bal.code).toBe(0);
    expect(bal.out).toMatch(/^[0-9a-f]{40}\s+[1-9][\d.]* BLOOM/);
    const to = (await run(['wallet', 'new', '--data-dir', join(dir, 'recipient')])).out.trim();
    expect(to).toMatch(/^[0-9a-f]{40}$/);
    const sent = await run(['wallet', 'send', '--data-dir', data, '--api', a.api.replace('http://', ''), '--to', to, '--amount', '0.5']);
    expect(sent.err).toBe('');
    expect(sent.out).toMatch(new RegExp(`^sent [0-9a-f]{64}  0\\.5 BLOOM to ${to} \\(fee 0\\.0001, nonce 0\\)`));
    const broke = await run(['wallet', 'send', '--data-dir', join(dir, 'recipient'), '--api', a.api.replace('http://', ''), '--to', to, '--amount', '1']);
    expect(broke.code).toBe(1);
    expect(broke.err).toMatch(/^error: insufficient funds: [0-9a-f]{40} has (0|0\.5) BLOOM spendable, this payment needs 1.0001 BLOOM \(amount \+ fee\)\n$/);

    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(a.logs.map((l) => l.msg)).toContain('stopped cleanly');

    const b = await startNode(data, ['--no-mine']);
    const s = await status(b.api);
    expect(s.height).toBeGreaterThanOrEqual(mined.height);
    const again = (await (await fetch(`${b.api}/blocks/${mined.height}`)).json()) as { hash: string };
    // a lone node never reorganises: the block seen before the kill is still on the chain
    expect(again.hash).toBe(mined.tipHash);
    b.child.kill('SIGINT');
    expect(await b.exited).toBe(0);
  }, 60_000);

  it('devnet --nodes 2 starts two linked nodes that agree on a chain, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'devnet', '--nodes', '2', '--port', '0', '--oscillators', '256', '--data-dir', join(dir, 'devnet')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: isolatedEnv(),
    });
    children.push(child);
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const apis = await new Promise<string[]>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`devnet not up in 25 s: ${err}`)), 25_000);
      child.stderr!.on('data', (d) => {
        err += d;
        const urls = [...err.matchAll(/node\d+\s+P2P \S+\s+API (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]!);
        if (urls.length === 2) {
          clearTimeout(t);
          res(urls);
        }
      });
    });
    const [s0, s1] = await waitFor('both nodes peered at a common height ≥ 1', async () => {
      const [a, b] = await Promise.all(apis.map(status));
      return a.peers >= 1 && b.peers >= 1 && b.height >= 1 && a.height >= 1 ? [a, b] : undefined;
    }, 25_000);
    expect(s0.network).toBe('devnet');
    const h = Math.min(s0.height, s1.height);
    const [b0, b1] = await waitFor('the same block at a shared height', async () => {
      const pair = await Promise.all(apis.map(async (u) => (await (await fetch(`${u}/blocks/${h}`)).json()) as { hash?: string }));
      return pair[0]!.hash && pair[0]!.hash === pair[1]!.hash ? pair : undefined;
    }, 15_000);
    expect(b0!.hash).toBe(b1!.hash);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
