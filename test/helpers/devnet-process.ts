// A devnet node as a child process on the built CLI (dist/cli.js): start it, wait for its API, talk to
// it over HTTP, SIGKILL or SIGTERM it. Every child started here is tracked so a test can reap them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cookieAuthorization, isLoopback, newApiAuth } from '../../src/api/auth.js';
import { DEVNET } from '../../src/constants.js';
import { buildSignedTx, type WalletKey } from '../../src/wallet.js';
import { fetchJson } from './http.js';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface NodeOptions {
  dataDir: string;
  mine?: boolean;
  /** host:port seeds (127.0.0.1 only in tests). */
  seeds?: string[];
  minerAddress?: string;
  oscillators?: number;
  /** Resolve as soon as the process is spawned instead of waiting for "node ready". */
  noWait?: boolean;
  readyTimeoutMs?: number;
  logLevel?: 'debug' | 'info' | 'warn';
  /** Run inside this network namespace (`ip netns exec`); the test must have created it. */
  netns?: string;
  /** P2P / API bind addresses and ports (default 127.0.0.1, ephemeral). */
  host?: string;
  port?: number;
  apiHost?: string;
  apiPort?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DevnetProcess {
  child: ChildProcess;
  dataDir: string;
  /** http://127.0.0.1:PORT once ready ('' before). */
  api: string;
  /** 127.0.0.1:PORT of the P2P listener once known ('' before). */
  p2p: string;
  /** Heights of the "block mined" log lines: each was logged after its block was committed. */
  mined: number[];
  /** The last 400 log lines (JSON), for diagnostics. */
  logs: string[];
  stderr(): string;
  exited: Promise<Exit>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<Exit>;
  /** SIGTERM (clean shutdown) and wait for the exit. */
  stop(timeoutMs?: number): Promise<Exit>;
}

const live = new Set<ChildProcess>();
/** The Authorization header of each started node's API (its cookie, or the --api-auth password off loopback). */
const authOf = new Map<string, string>();

/** SIGKILLs every child this helper started that is still running (afterEach). */
export async function reapAll(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const c of live) {
    if (c.exitCode === null && c.signalCode === null) {
      waits.push(new Promise((r) => c.once('exit', r)));
      c.kill('SIGKILL');
    }
  }
  live.clear();
  await Promise.all(waits);
}

export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} missing: run npm run build:ts first`);
}

/** Spawns `bloomcoin node` on devnet with ephemeral ports; resolves when its API is up (or at once with noWait). */
export function startNode(opts: NodeOptions): Promise<DevnetProcess> {
  assertBuilt();
  const host = opts.host ?? '127.0.0.1';
  const args = ['node', '--network', 'devnet', '--host', host, '--port', String(opts.port ?? 0), '--api-port', String(opts.apiPort ?? 0), '--data-dir', opts.dataDir];
  if (opts.apiHost) args.push('--api-host', opts.apiHost);
  // an API beyond loopback needs a credential (the node refuses to start without one)
  const remoteAuth = opts.apiHost && !isLoopback(opts.apiHost) ? newApiAuth('test') : undefined;
  if (remoteAuth) args.push('--api-auth', remoteAuth.line);
  args.push('--oscillators', String(opts.oscillators ?? 256), '--log-level', opts.logLevel ?? 'info');
  if (opts.mine === false) args.push('--no-mine');
  if (opts.minerAddress) args.push('--miner-address', opts.minerAddress);
  for (const s of opts.seeds ?? []) args.push('--seed', s);
  const argv = [process.execPath, CLI_PATH, ...args];
  if (opts.netns) argv.unshift('ip', 'netns', 'exec', opts.netns);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 64_000) err += d.toString();
  });
  const exited = new Promise<Exit>((r) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      r({ code, signal });
    }),
  );
  const proc: DevnetProcess = {
    child,
    dataDir: opts.dataDir,
    api: '',
    p2p: '',
    mined: [],
    logs: [],
    stderr: () => err,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
    stop: async (timeoutMs = 20_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(t);
      }
    },
  };
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (e?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve(proc);
    };
    const timer = setTimeout(() => finish(new Error(`node not ready in time; stderr: ${err.slice(-2000)}`)), opts.readyTimeoutMs ?? 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      proc.logs.push(line);
      if (proc.logs.length > 400) proc.logs.shift();
      let rec: { msg?: string; api?: string; port?: number; height?: number };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        return;
      }
      if (rec.msg === 'block mined' && typeof rec.height === 'number') proc.mined.push(rec.height);
      else if (rec.msg === 'p2p listening' && typeof rec.port === 'number') proc.p2p = `${host}:${rec.port}`;
      else if (rec.msg === 'node ready' && rec.api) {
        proc.api = rec.api;
        const auth = remoteAuth ? `Basic ${Buffer.from(`test:${remoteAuth.password}`).toString('base64')}` : cookieAuthorization(opts.dataDir);
        if (auth) authOf.set(rec.api, auth);
        finish();
      }
    });
    void exited.then((x) => finish(new Error(`node exited (${x.code ?? x.signal}) before ready; stderr: ${err.slice(-2000)}`)));
    if (opts.noWait) finish();
  });
}

/** GET/POST JSON against a node's API; throws on transport errors, returns status and body. */
export async function api<T = any>(base: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const auth = authOf.get(base);
  const r = await fetchJson(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  // a body that is not JSON comes back as its text
  return { status: r.status, json: (r.json === undefined ? r.text : r.json) as T };
}

export interface StatusJson {
  height: number;
  tipHash: string;
  peers: number;
  mining: boolean;
}

export const status = async (base: string): Promise<StatusJson> => (await api<StatusJson>(base, '/status')).json;

export async function account(base: string, address: string): Promise<{ balance: bigint; nonce: bigint }> {
  const a = (await api<{ balance: string; nonce: string }>(base, `/accounts/${address}`)).json;
  return { balance: BigInt(a.balance), nonce: BigInt(a.nonce) };
}

export interface Sent {
  txid: string;
  status: number;
  accepted: boolean;
  code?: string;
}

/** Signs a devnet transfer with `key` and POSTs it to /tx. */
export async function sendTx(base: string, key: WalletKey, to: string, amount: bigint, nonce: bigint, fee = 10n): Promise<Sent> {
  const { bytes, txid } = buildSignedTx(key, { to, amount, fee, nonce }, DEVNET.magic);
  const r = await api<{ accepted?: boolean; code?: string; error?: { code?: string } }>(base, '/tx', { hex: Buffer.from(bytes).toString('hex') });
  return { txid: Buffer.from(txid).toString('hex'), status: r.status, accepted: r.json.accepted === true, code: r.json.code ?? r.json.error?.code };
}

/** Polls fn every `everyMs` until it returns a value other than undefined; bounded by `ms`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms: number, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  let lastErr: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastErr = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${lastErr ? ` (last error: ${String(lastErr)})` : ''}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

