// A typed client of the node's HTTP API (the CLI's only way to talk to a running node).
import { PROFILES, type NetworkName } from '../constants.js';
import { InputError, isErrorCode } from '../errors.js';
import type { AccountJson, BlockJson, MempoolJson, PeerJson, StatusJson, SubmitJson } from './types.js';

/** "host:port" or "[v6]:port" → base URL; default the network's API port on loopback. */
export function apiBase(api: string | undefined, network: NetworkName = 'devnet'): string {
  if (api === undefined) return `http://127.0.0.1:${PROFILES[network].apiPort}`;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(api);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new InputError('bad-api', `--api: expected host:port, got "${api}"`);
  return `http://${m[1]}:${m[2]}`;
}

export interface ClientOptions {
  /** `Authorization` header sent with every request (the cookie's, src/api/auth.ts). */
  authorization?: string;
}

export class ApiClient {
  constructor(
    readonly base: string,
    private readonly opts: ClientOptions = {},
  ) {}

  status(): Promise<StatusJson> {
    return this.get('/status');
  }

  peers(): Promise<PeerJson[]> {
    return this.get('/peers');
  }

  account(address: string): Promise<AccountJson> {
    return this.get(`/accounts/${address}`);
  }

  mempool(): Promise<MempoolJson> {
    return this.get('/mempool');
  }

  block(ref: number | string): Promise<BlockJson> {
    return this.get(`/blocks/${ref}`);
  }

  submitTx(hex: string): Promise<SubmitJson> {
    return this.post('/tx', { hex });
  }

  /** Asks the node to stop cleanly (needs the cookie or --api-auth). */
  stop(): Promise<{ stopping: boolean }> {
    return this.post('/stop', {});
  }

  private get<T>(path: string): Promise<T> {
    return this.fetch(path) as Promise<T>;
  }

  private post<T>(path: string, json: unknown): Promise<T> {
    return this.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }) as Promise<T>;
  }

  private async fetch(path: string, init: RequestInit = {}): Promise<unknown> {
    let res: Response;
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(this.opts.authorization ? { authorization: this.opts.authorization } : {}) };
    try {
      res = await fetch(this.base + path, { ...init, headers, signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new InputError('api-unreachable', `cannot reach the node API at ${this.base}: ${cause} (is the node running? see --api)`);
    }
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!res.ok) {
      // the node's code when this build knows it (a newer node may answer with one it does not)
      const code = body.error?.code;
      throw new InputError(code && isErrorCode(code) ? code : 'http-error', `${path}: ${body.error?.message ?? `HTTP ${res.status}`}`, code);
    }
    return body;
  }
}
