// An operator's conventions on the real `bloomcoin` binary (needs `npm run build:ts`): the data dir in HOME,
// BLOOMCOIN_* variables and the data dir's bloomcoin.json with flags > env > file > defaults (`bloomcoin config`),
// the API cookie and rpcauth over real HTTP, `bloomcoin stop`, the refused non-loopback API, the mainnet warning.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from './helpers/cli-env.js';

const CLI = resolve('dist/cli.js');
const children: ChildProcess[] = [];
let dir: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build:ts first`);
  dir = mkdtempSync(join(tmpdir(), 'bloom-cli-op-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function spawnCli(args: string[], opts: { home: string; env?: Record<string, string>; cwd?: string }): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(opts.home, opts.env), cwd: opts.cwd ?? dir });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function run(args: string[], opts: { home: string; env?: Record<string, string>; cwd?: string }): Promise<{ code: number | null; out: string; err: string }> {
  const p = spawnCli(args, opts);
  const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  const code = await p.exited;
  clearTimeout(t);
  return { code, out: p.out(), err: p.err() };
}

async function waitFor(what: string, fn: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts a node and resolves with its API URL (from the "node ready" log line). */
const NODE_ARGS = ['node', '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--oscillators', '64', '--no-mine', '--log-level', 'info'];

async function startNode(args: string[], opts: { home: string; env?: Record<string, string>; base?: string[] }): Promise<Proc & { api: string }> {
  const p = spawnCli([...(opts.base ?? NODE_ARGS), ...args], opts);
  let exitedEarly = false;
  void p.exited.then(() => (exitedEarly = true));
  await waitFor(`node ready (${p.err()})`, () => exitedEarly || p.out().includes('"node ready"'));
  if (exitedEarly) throw new Error(`node exited before ready: ${p.err()}`);
  const api = (/"api":"(http:[^"]+)"/.exec(p.out()) ?? [])[1]!;
  return { ...p, api };
}

function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines, err).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0]!;
}

/** A port free a moment ago (the node then binds it; `bloomcoin stop` must find it through the configuration). */
function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
  });
}

const home = (name: string): string => {
  const h = join(dir, name);
  mkdirSync(h, { recursive: true });
  return h;
};

describe('data dir in HOME and BLOOMCOIN_DATA_DIR', () => {
  it('the default data dir is ~/.bloomcoin/<network> from any working directory; BLOOMCOIN_DATA_DIR and --data-dir override it', async () => {
    const h = home('h-default');
    const cwdA = home('cwd-a');
    const cwdB = home('cwd-b');
    const made = await run(['wallet', 'new'], { home: h, cwd: cwdA });
    expect(made.code, made.err).toBe(0);
    const addr = made.out.trim();
    expect(JSON.parse(readFileSync(join(h, '.bloomcoin', 'devnet', 'wallet.json'), 'utf8')).keys[0].address).toBe(addr);
    expect(existsSync(join(cwdA, '.bloomcoin'))).toBe(false);
    // a node started from another folder uses the same dir and pays that wallet's key
    const n = await startNode([], { home: h });
    expect(n.err()).toContain(`data dir   ${join(h, '.bloomcoin', 'devnet')}`);
    const bal = await run(['wallet', 'balance', '--api', n.api.replace('http://', '')], { home: h, cwd: cwdB });
    expect(bal.code, bal.err).toBe(0);
    expect(bal.out).toMatch(new RegExp(`^${addr}  0 BLOOM`));
    n.child.kill('SIGTERM');
    expect(await n.exited).toBe(0);

    const envDir = join(dir, 'env-dir');
    const viaEnv = await run(['wallet', 'new'], { home: h, env: { BLOOMCOIN_DATA_DIR: envDir } });
    expect(viaEnv.code).toBe(0);
    expect(existsSync(join(envDir, 'wallet.json'))).toBe(true);
    const flagDir = join(dir, 'flag-dir');
    const viaFlag = await run(['wallet', 'new', '--data-dir', flagDir], { home: h, env: { BLOOMCOIN_DATA_DIR: envDir } });
    expect(viaFlag.code).toBe(0);
    expect(existsSync(join(flagDir, 'wallet.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(envDir, 'wallet.json'), 'utf8')).keys).toHaveLength(1);
  }, 60_000);
});

describe('configuration layers', () => {
  it('flags > BLOOMCOIN_* > <data-dir>/bloomcoin.json > defaults, each value shown with its origin by bloomcoin config', async () => {
    const h = home('h-layers');
    const dd = join(h, '.bloomcoin', 'devnet');
    mkdirSync(dd, { recursive: true });
    const file = join(dd, 'bloomcoin.json');
    writeFileSync(file, JSON.stringify({ port: 1111, maxPeers: 5, gossip: 'eager', seeds: ['10.0.0.1:1'], logFile: 'node.log' }));
    const r = await run(['config', '--json', '--max-peers', '7'], { home: h, env: { BLOOMCOIN_PORT: '2222', BLOOMCOIN_MAX_PEERS: '6', BLOOMCOIN_SEED: '10.0.0.2:2, [::1]:3' } });
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { config: Record<string, unknown>; sources: Record<string, { source: string; name: string }>; file: { path: string; found: boolean } };
    expect(j.file).toMatchObject({ path: file, found: true });
    expect(j.config).toMatchObject({ port: 2222, maxPeers: 7, gossip: 'eager', logLevel: 'info', dataDir: dd, logFile: join(dd, 'node.log') });
    expect(j.config.seeds).toEqual([{ host: '10.0.0.2', port: 2 }, { host: '::1', port: 3 }]);
    expect(j.sources.port).toEqual({ source: 'env', name: 'BLOOMCOIN_PORT' });
    expect(j.sources.maxPeers).toEqual({ source: 'flag', name: '--max-peers' });
    expect(j.sources.gossip).toEqual({ source: 'file', name: file });
    expect(j.sources.seeds).toEqual({ source: 'env', name: 'BLOOMCOIN_SEED' });
    expect(j.sources.logLevel).toEqual({ source: 'default', name: '' });
    // the table form names the same origins
    const t = await run(['config', '--max-peers', '7'], { home: h, env: { BLOOMCOIN_PORT: '2222' } });
    expect(t.out).toContain(`config file  ${file}  (read: found in the data dir)`);
    expect(t.out).toMatch(/^port\s+2222\s+env BLOOMCOIN_PORT$/m);
    expect(t.out).toMatch(/^maxPeers\s+7\s+flag --max-peers$/m);
    expect(t.out).toMatch(new RegExp(`^gossip\\s+eager\\s+file ${file}$`, 'm'));
    expect(t.out).toMatch(/^banMs\s+86400000\s+default$/m);
  }, 30_000);

  it('the node runs with what the file and the environment say', async () => {
    const h = home('h-run');
    const dd = join(h, '.bloomcoin', 'devnet');
    mkdirSync(dd, { recursive: true });
    // the API port (0: any) and the oscillators come from the file; the environment's mine and log level beat the file's
    writeFileSync(join(dd, 'bloomcoin.json'), JSON.stringify({ apiPort: 0, host: '127.0.0.1', oscillators: 64, mine: true, logLevel: 'warn' }));
    const n = await startNode([], { home: h, base: ['node', '--port', '0'], env: { BLOOMCOIN_MINE: 'false', BLOOMCOIN_LOG_LEVEL: 'info' } });
    expect(n.api).not.toBe('http://127.0.0.1:17619');
    const s = (await (await fetch(n.api + '/status')).json()) as { mining: boolean; listen: string };
    expect(s.mining).toBe(false);
    expect(s.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(n.out()).toContain(`"dataDir":"${dd}"`);
    // "node ready" is an info line: logged only because the environment's info beat the file's warn
    expect(n.out()).toMatch(/"level":30,.*"msg":"node ready"/);
    n.child.kill('SIGTERM');
    expect(await n.exited).toBe(0);
  }, 30_000);

  it('errors name where the bad value came from: the file and its key, the environment variable', async () => {
    const h = home('h-errors');
    const dd = join(h, '.bloomcoin', 'devnet');
    mkdirSync(dd, { recursive: true });
    const file = join(dd, 'bloomcoin.json');
    writeFileSync(file, JSON.stringify({ maxPeers: 'lots' }));
    const f = await run(['node'], { home: h });
    expect(f.code).toBe(1);
    expect(oneLine(f.err)).toBe(`error: config file ${file}: key "maxPeers": expected an integer from 0 to 1024, got "lots"`);
    writeFileSync(file, JSON.stringify({ dataDir: '/elsewhere' }));
    const moved = await run(['config'], { home: h });
    expect(moved.code).toBe(1);
    expect(oneLine(moved.err)).toMatch(new RegExp(`^error: config file ${file}: key "dataDir": "/elsewhere" differs from the data dir`));
    rmSync(file);
    const e = await run(['node'], { home: h, env: { BLOOMCOIN_PORT: 'seventy' } });
    expect(e.code).toBe(1);
    expect(oneLine(e.err)).toBe('error: environment BLOOMCOIN_PORT: expected an integer from 0 to 65535, got "seventy"');
    const b = await run(['node'], { home: h, env: { BLOOMCOIN_NETWORK: 'testnet' } });
    expect(b.code).toBe(1);
    expect(oneLine(b.err)).toMatch(/^error: environment BLOOMCOIN_NETWORK: expected one of mainnet, devnet/);
  }, 30_000);
});

describe('API auth and bloomcoin stop', () => {
  it('the cookie: 0600, open reads on loopback, 401 for POST /tx and /stop without it, the CLI uses it', async () => {
    const h = home('h-cookie');
    const data = join(dir, 'cookie-node');
    const n = await startNode(['--data-dir', data], { home: h });
    const cookie = join(data, '.cookie');
    expect(statSync(cookie).mode & 0o777).toBe(0o600);
    const text = readFileSync(cookie, 'utf8');
    expect(text).toMatch(/^__cookie__:[0-9a-f]{64}$/);
    const token = text.split(':')[1]!;

    expect((await fetch(n.api + '/status')).status).toBe(200);
    const noAuth = await fetch(n.api + '/tx', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Basic realm="bloomcoin"');
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await fetch(n.api + '/stop', { method: 'POST', headers: { authorization: `Bearer ${'0'.repeat(64)}` } });
    expect(wrong.status).toBe(401);
    const basicWrong = await fetch(n.api + '/stop', { method: 'POST', headers: { authorization: `Basic ${Buffer.from('__cookie__:nope').toString('base64')}` } });
    expect(basicWrong.status).toBe(401);
    // with the token the route runs (here: a bad body, so 400 from the route itself, not 401)
    const authed = await fetch(n.api + '/tx', { method: 'POST', body: '{}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(authed.status).toBe(400);
    expect(((await authed.json()) as { error: { code: string } }).error.code).toBe('missing-field');
    expect(n.child.exitCode).toBe(null);

    // SIGHUP without --log-file: still running
    n.child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    expect(n.child.exitCode).toBe(null);
    expect(n.child.signalCode).toBe(null);

    // bloomcoin stop without the cookie (another data dir): refused, exit 6, node keeps running
    const refused = await run(['stop', '--data-dir', join(dir, 'not-the-node'), '--api', n.api.replace('http://', '')], { home: h });
    expect(refused.code).toBe(6);
    expect(oneLine(refused.err)).toMatch(/^error: \/stop: this request needs a credential/);
    expect(n.child.exitCode).toBe(null);

    const stop = await run(['stop', '--data-dir', data, '--api', n.api.replace('http://', '')], { home: h });
    expect(stop.code, stop.err).toBe(0);
    expect(stop.out.trim()).toBe('stopped');
    expect(stop.err).toContain(`stopping the node at ${n.api} (pid ${n.child.pid})`);
    expect(await n.exited).toBe(0);
    expect(n.out()).toContain('shutting down (bloomcoin stop)');
    expect(n.out()).toContain('stopped cleanly');
    expect(existsSync(cookie)).toBe(false);
    expect(existsSync(join(data, 'bloomcoin.pid'))).toBe(false);
  }, 60_000);

  it('bloomcoin stop finds the node through its config (BLOOMCOIN_API_PORT, default data dir)', async () => {
    const h = home('h-stop-env');
    const port = await freePort();
    const n = await startNode(['--api-port', String(port)], { home: h });
    const stop = await run(['stop'], { home: h, env: { BLOOMCOIN_API_PORT: String(port) } });
    expect(stop.code, stop.err).toBe(0);
    expect(await n.exited).toBe(0);
  }, 40_000);

  it('an API bound beyond loopback without --api-auth is refused (exit 7); with it, remote clients need the password for every route', async () => {
    const h = home('h-remote');
    const data = join(dir, 'remote-node');
    const r = await run(['node', '--data-dir', data, '--api-host', '0.0.0.0', '--port', '0', '--api-port', '0', '--no-mine'], { home: h });
    expect(r.code).toBe(7);
    expect(oneLine(r.err)).toBe(
      'error: --api-host 0.0.0.0 is not a loopback address and no --api-auth is set: anyone who reaches it could read and submit; add --api-auth (from "bloomcoin api-auth <user>") or bind to 127.0.0.1',
    );
    expect(existsSync(join(data, 'bloomcoin.pid'))).toBe(false);

    const gen = await run(['api-auth', 'ops'], { home: h });
    expect(gen.code).toBe(0);
    const line = /^apiAuth\s+(\S+)$/m.exec(gen.out)![1]!;
    const password = /^password\s+(\S+)$/m.exec(gen.out)![1]!;
    expect(line).toMatch(/^ops:[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(line).not.toContain(password);
    const n = await startNode(['--data-dir', data, '--api-host', '0.0.0.0'], { home: h, env: { BLOOMCOIN_API_AUTH: line } });
    const port = new URL(n.api).port;
    // this machine's own non-loopback address: the request arrives from it, not from 127.0.0.1
    const ext = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    expect(ext, 'a non-loopback IPv4 address on this machine').toBeDefined();
    const remote = `http://${ext}:${port}`;
    expect((await fetch(remote + '/status')).status).toBe(401);
    const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    expect((await fetch(remote + '/status', { headers: { authorization: basic('ops', password) } })).status).toBe(200);
    expect((await fetch(remote + '/status', { headers: { authorization: basic('ops', password + 'x') } })).status).toBe(401);
    expect((await fetch(remote + '/status', { headers: { authorization: basic('root', password) } })).status).toBe(401);
    // loopback reads stay open
    expect((await fetch(`http://127.0.0.1:${port}/status`)).status).toBe(200);
    const stopped = await fetch(remote + '/stop', { method: 'POST', headers: { authorization: basic('ops', password) } });
    expect(stopped.status).toBe(202);
    expect(await n.exited).toBe(0);
  }, 60_000);
});

describe('mainnet without seeds', () => {
  it('warns at start (banner and log) and in bloomcoin status', async () => {
    const h = home('h-mainnet');
    const n = await startNode(['--network', 'mainnet', '--data-dir', join(dir, 'mainnet')], { home: h });
    expect(n.err()).toMatch(/^ {2}warning {4}isolated: mainnet with no --seed/m);
    expect(n.out()).toMatch(/"level":40,.*"msg":"isolated: mainnet with no --seed/);
    const s = await run(['status', '--api', n.api.replace('http://', '')], { home: h });
    expect(s.out).toMatch(/^warning {4}isolated: mainnet with no --seed .*add --seed host:port/m);
    n.child.kill('SIGTERM');
    expect(await n.exited).toBe(0);
  }, 40_000);
});

describe('devnet', () => {
  it('bloomcoin stop on one devnet node stops the whole devnet process cleanly, each node with its own cookie', async () => {
    const h = home('h-devnet');
    const parent = join(dir, 'devnet');
    const p = spawnCli(['devnet', '--nodes', '2', '--port', '0', '--oscillators', '64', '--data-dir', parent, '--log-level', 'warn'], { home: h });
    await waitFor('two devnet nodes', () => [...p.err().matchAll(/node\d+\s+P2P \S+\s+API http:\/\/127\.0\.0\.1:\d+/g)].length === 2);
    const api1 = [...p.err().matchAll(/node1\s+P2P \S+\s+API http:\/\/(127\.0\.0\.1:\d+)/g)][0]![1]!;
    const c0 = readFileSync(join(parent, 'node0', '.cookie'), 'utf8');
    const c1 = readFileSync(join(parent, 'node1', '.cookie'), 'utf8');
    expect(c0).not.toBe(c1);
    const stop = await run(['stop', '--data-dir', join(parent, 'node1'), '--api', api1], { home: h });
    expect(stop.code, stop.err).toBe(0);
    expect(await p.exited).toBe(0);
    for (const n of ['node0', 'node1']) {
      expect(existsSync(join(parent, n, '.cookie'))).toBe(false);
      expect(existsSync(join(parent, n, 'bloomcoin.pid'))).toBe(false);
    }
  }, 40_000);
});
