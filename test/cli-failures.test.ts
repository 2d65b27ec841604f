// Start-up failures of the real `bloomcoin` binary: one line naming the cause and what to do, a documented exit
// code each (docs/operations.md); SIGHUP reopens the log file and never kills (needs `npm run build:ts`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from './helpers/cli-env.js';

const CLI = resolve('dist/cli.js');
const children: ChildProcess[] = [];
const servers: Server[] = [];
let dir: string;
const isolatedEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => cliEnv(dir, extra);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build:ts first`);
  dir = mkdtempSync(join(tmpdir(), 'bloom-cli-fail-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

function spawnCli(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv() });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function run(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; err: string }> {
  const p = spawnCli(args);
  const t = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(t);
  await new Promise((r) => setTimeout(r, 20));
  return { code, err: p.err() };
}

const nodeArgs = (data: string, extra: string[] = []): string[] => [
  'node', '--data-dir', data, '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--oscillators', '64', '--no-mine', '--log-level', 'warn', ...extra,
];

function hold(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    servers.push(s);
    s.listen(0, '127.0.0.1', () => res((s.address() as { port: number }).port));
  });
}

/** One line on stderr, "error: …", nothing else (no stack trace). */
function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines, err).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

async function waitFor(what: string, fn: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('start-up failures', () => {
  it('P2P port in use: names the port and --port, exit 3', async () => {
    const port = await hold();
    const r = await run(nodeArgs(join(dir, 'p2p'), ['--port', String(port)]));
    expect(r.code).toBe(3);
    expect(oneLine(r.err)).toBe(`error: P2P port ${port} on 127.0.0.1 is in use: stop what holds it or choose another with --port (0 = any free port)`);
    expect(existsSync(join(dir, 'p2p', 'bloomcoin.pid'))).toBe(false); // released on the failed start
  }, 20_000);

  it('API port in use: names the port and --api-port, exit 3', async () => {
    const port = await hold();
    const r = await run(nodeArgs(join(dir, 'api'), ['--api-port', String(port)]));
    expect(r.code).toBe(3);
    expect(oneLine(r.err)).toMatch(new RegExp(`^error: API port ${port} on 127\\.0\\.0\\.1 is in use: .* --api-port`));
  }, 20_000);

  it('data dir that is a file, or under a file: not a directory, exit 4', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const d of [file, join(file, 'sub')]) {
      const r = await run(nodeArgs(d));
      expect(r.code).toBe(4);
      expect(oneLine(r.err)).toBe(`error: data dir ${d} is not a directory (a file is in the way): move it or choose another --data-dir`);
    }
  }, 20_000);

  it('data dir where this user may not write: permission denied, exit 4', async () => {
    // /sys refuses mkdir even to root (EPERM); a chmod-ed dir would not stop root
    const r = await run(nodeArgs('/sys/bloomcoin-test-data'));
    expect(r.code).toBe(4);
    expect(oneLine(r.err)).toMatch(/^error: data dir \/sys\/bloomcoin-test-data: permission denied: .*--data-dir$/);
  }, 20_000);

  it('data dir held by a running node: names its pid, exit 5; the holder keeps running', async () => {
    const data = join(dir, 'locked');
    const a = spawnCli(nodeArgs(data));
    await waitFor('the first node up', () => a.err().includes('data dir'), 20_000);
    expect(readFileSync(join(data, 'bloomcoin.pid'), 'utf8').trim()).toBe(String(a.child.pid));
    const r = await run(nodeArgs(data));
    expect(r.code).toBe(5);
    expect(oneLine(r.err)).toBe(`error: data dir ${data} is used by another bloomcoin process (pid ${a.child.pid}): stop it (bloomcoin stop) or choose another --data-dir`);
    expect(a.child.exitCode).toBe(null);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(existsSync(join(data, 'bloomcoin.pid'))).toBe(false);
  }, 40_000);

  it('a stale pid file (its process gone) does not block a start', async () => {
    const data = join(dir, 'stale');
    const first = await run(['wallet', 'new', '--data-dir', data]);
    expect(first.code).toBe(0);
    writeFileSync(join(data, 'bloomcoin.pid'), '999999999\n');
    const a = spawnCli(nodeArgs(data));
    await waitFor('the node up', () => a.err().includes('data dir'), 20_000);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
  }, 30_000);

  it('a bad value in the config file names the file and the key, exit 1', async () => {
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ port: 'abc' }));
    const r = await run(nodeArgs(join(dir, 'cfg'), ['--config', cfg]).filter((a, i, all) => !(a === '--port' || all[i - 1] === '--port')));
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe(`error: config file ${cfg}: key "port": expected an integer from 0 to 65535, got "abc"`);
  }, 20_000);

  it("commander's own errors: one line in the same style, exit 1", async () => {
    for (const [args, msg] of [
      [['node', '--network', 'foo'], /^error: option '--network <name>' argument 'foo' is invalid\. Allowed choices are mainnet, devnet\. \(run with --help for usage\)$/],
      [['node', '--frobnicate'], /^error: unknown option '--frobnicate' \(run with --help for usage\)$/],
    ] as const) {
      const r = await run([...args]);
      expect(r.code).toBe(1);
      expect(oneLine(r.err)).toMatch(msg);
    }
  }, 20_000);
});

describe('signals', () => {
  it('SIGHUP reopens --log-file (logrotate) and never kills; SIGTERM then exits 0', async () => {
    const data = join(dir, 'hup');
    const log = join(dir, 'node.log');
    const a = spawnCli(nodeArgs(data, ['--log-file', log, '--log-level', 'info']));
    await waitFor('node ready in the log file', () => existsSync(log) && readFileSync(log, 'utf8').includes('"node ready"'), 45_000); // a loaded CI machine starts slowly
    renameSync(log, log + '.1'); // what logrotate does before its postrotate kill -HUP
    a.child.kill('SIGHUP');
    await waitFor('a new log file after SIGHUP', () => existsSync(log) && readFileSync(log, 'utf8').includes('SIGHUP'), 10_000);
    expect(a.child.exitCode).toBe(null);
    expect(a.child.signalCode).toBe(null);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('stopped cleanly');
    expect(readFileSync(log + '.1', 'utf8')).not.toContain('stopped cleanly');
  }, 75_000);
});

describe('generate', () => {
  it('bloomcoin generate builds a devnet chain a node then serves', async () => {
    const data = join(dir, 'gen');
    const g = spawnCli(['generate', '--blocks', '12', '--txs-per-block', '2', '--data-dir', data]);
    expect(await g.exited, g.err()).toBe(0);
    expect(g.out()).toMatch(/^height 12 tip [0-9a-f]{64}: 12 blocks, \d+ txs in [\d.]+ s, mined by [0-9a-f]{40}\n$/);
    const again = await run(['generate', '--blocks', '0', '--data-dir', data]);
    expect(again.code).toBe(1);
    expect(oneLine(again.err)).toMatch(/--blocks: expected an integer from 1/);
    const a = spawnCli(nodeArgs(data, ['--log-level', 'info']));
    await waitFor('node ready', () => a.out().includes('"node ready"'), 20_000);
    const api = (/"api":"(http:[^"]+)"/.exec(a.out()) ?? [])[1]!;
    const s = (await (await fetch(api + '/status')).json()) as { height: number };
    expect(s.height).toBe(12);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
  }, 60_000);
});
