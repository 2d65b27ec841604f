// The node's HTTP API (node:http): JSON routes, Prometheus /metrics, the dashboard at /.
import { toHex } from '../bytes.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_HEADERS_PER_MSG, TX_SIZE, Z_C } from '../constants.js';
import { decodeHeader } from '../chain/header.js';
import { BloomError, toErrorCode } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { ApiAuth } from './auth.js';
import { dashboardHtml } from './dashboard.js';
import { ApiError, errorBody, intParam, readBody, Router, send, toJson, type Ctx } from './http.js';
import { addConsoleRoutes } from './console.js';
import { blockJson, mempoolJson, peerJson, rawHeaderJson, statusJson, txInfoJson } from './json.js';
import type { NodeView } from './types.js';

export const BODY_LIMIT = 64 * 1024;
const MAX_HEIGHT = 0xffff_ffff;

export interface ApiOptions {
  host?: string;
  port?: number;
  logger?: Logger;
  /** Shared metrics; created from the view when absent. */
  metrics?: Metrics;
  bodyLimit?: number;
  /** Credentials (src/api/auth.ts); absent: every route open (tests, embedding behind a proxy). */
  auth?: ApiAuth;
  /** Enables `POST /stop` (the CLI's clean shutdown), called once the answer is out. */
  onStop?: () => void;
}

export interface ApiServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

function parseHeight(s: string, field: string): number {
  if (!/^\d{1,10}$/.test(s) || Number(s) > MAX_HEIGHT) {
    throw new ApiError(400, 'bad-height', `${field} must be an integer from 0 to ${MAX_HEIGHT}`, field);
  }
  return Number(s);
}

function parseHex(s: string, bytes: number, field: string): Uint8Array {
  if (s.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(s)) {
    throw new ApiError(400, 'bad-hex', `${field} must be ${bytes * 2} hex digits`, field);
  }
  return new Uint8Array(Buffer.from(s, 'hex'));
}

const notFound = (what: string): ApiError => new ApiError(404, 'not-found', `${what} not found`);

export function buildRouter(view: NodeView, metrics: Metrics, bodyLimit: number): Router {
  const r = new Router();
  r.add('GET', '/', () => ({ body: dashboardHtml(), contentType: 'text/html; charset=utf-8' }));
  addConsoleRoutes(r, view); // before /blocks/:ref, which would take /blocks/recent
  r.add('GET', '/status', () => ({ json: statusJson(view.status()) }));
  r.add('GET', '/peers', () => ({ json: view.peers().map(peerJson) }));
  r.add('GET', '/coherence', () => ({ json: { zc: Z_C, points: view.coherenceHistory() } }));
  r.add('GET', '/blocks/:ref', async ({ params }) => {
    const ref = params.ref!;
    const key = /^\d+$/.test(ref) ? parseHeight(ref, 'height') : parseHex(ref, 32, 'hash');
    const info = await view.getBlock(key);
    if (!info) throw notFound(typeof key === 'number' ? `block at height ${key}` : `block ${ref}`);
    return { json: blockJson(info) };
  });
  r.add('GET', '/headers', async ({ query }) => {
    const from = intParam(query, 'from', 0, 0, MAX_HEIGHT);
    const count = intParam(query, 'count', MAX_HEADERS_PER_MSG, 1, MAX_HEADERS_PER_MSG);
    const raw = await view.getHeaders(from, count);
    return { json: { from, count: raw.length, headers: raw.map((b) => rawHeaderJson(b, decodeHeader)) } };
  });
  r.add('GET', '/tx/:id', async ({ params }) => {
    const info = await view.getTx(parseHex(params.id!, 32, 'id'));
    if (!info) throw notFound(`transaction ${params.id}`);
    return { json: txInfoJson(info) };
  });
  r.add('GET', '/accounts/:address', async ({ params }) => {
    const a = await view.getAccount(parseHex(params.address!, 20, 'address'));
    return { json: { address: params.address!.toLowerCase(), balance: a.balance.toString(), nonce: a.nonce.toString() } };
  });
  r.add('GET', '/mempool', () => ({ json: mempoolJson(view.mempool()) }));
  r.add('POST', '/tx', async ({ req }) => {
    const body = await readBody(req, bodyLimit);
    let obj: unknown;
    try {
      obj = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ApiError(400, 'bad-json', 'body must be JSON {"hex": "<140-byte tx in hex>"}', 'body');
    }
    const h = (obj as { hex?: unknown } | null)?.hex;
    if (typeof h !== 'string') throw new ApiError(400, 'missing-field', 'hex is required: the serialized transaction', 'hex');
    const res = await view.submitTx(parseHex(h, TX_SIZE, 'hex'));
    if (res.accepted) return { status: 202, json: { accepted: true, txid: toHex(res.txid) } };
    if (res.code === 'duplicate') return { status: 200, json: { accepted: false, txid: toHex(res.txid), code: 'duplicate' } };
    throw new ApiError(400, toErrorCode(res.code, 'rejected'), res.reason ?? 'transaction rejected', 'hex');
  });
  r.add('GET', '/metrics', async () => ({ body: await metrics.render(), contentType: metrics.contentType }));
  return r;
}

export function startApi(view: NodeView, opts: ApiOptions = {}): Promise<ApiServer> {
  const log = (opts.logger ?? silentLogger).child({ mod: 'api' });
  const metrics = opts.metrics ?? createMetrics(view);
  const router = buildRouter(view, metrics, opts.bodyLimit ?? BODY_LIMIT);
  const onStop = opts.onStop;
  if (onStop) router.add('POST', '/stop', ({ res }) => (res.once('finish', onStop), { status: 202, json: { stopping: true } }));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    // split by hand: new URL() would read "//x" as a host name
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const url = { pathname: q < 0 ? raw : raw.slice(0, q), searchParams: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
    const m = router.match(method, url.pathname);
    let label = 'unmatched';
    let status = 500;
    try {
      if (opts.auth && !opts.auth.allows(req)) {
        status = 401;
        send(res, 401, errorBody('unauthorized', opts.auth.hint), 'application/json', { 'www-authenticate': `Basic realm="bloomcoin"` });
        return;
      }
      if ('status' in m) {
        status = m.status;
        if (m.status === 405) {
          send(res, 405, errorBody('method-not-allowed', `${method} not allowed on ${url.pathname}`), 'application/json', {
            allow: m.allow!.join(', '),
          });
        } else send(res, 404, errorBody('not-found', `no route ${url.pathname}`), 'application/json');
        return;
      }
      label = m.route.pattern;
      const ctx: Ctx = { req, res, params: m.params, query: url.searchParams };
      const reply = await m.route.handler(ctx);
      status = reply.status ?? 200;
      if ('json' in reply) send(res, status, toJson(reply.json), 'application/json; charset=utf-8');
      else send(res, status, reply.body, reply.contentType);
    } catch (e) {
      if (e instanceof ApiError) status = e.status;
      else if (e instanceof BloomError) status = 400;
      else status = 500;
      if (status === 500) log.error({ err: e, path: url.pathname }, 'api handler failed');
      const err = e as BloomError & { field?: string };
      const body = status === 500 ? errorBody('internal', 'internal error') : errorBody(err.code, err.message, err.field);
      if (!res.headersSent) send(res, status, body, 'application/json', status === 413 ? { connection: 'close' } : {});
      // an oversized body is not drained: drop the connection once the answer is out
      if (status === 413) res.once('finish', () => req.destroy());
    } finally {
      metrics.observeRequest(label, method, status);
      log.debug({ method, path: url.pathname, status }, 'api request');
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        host,
        port,
        url: `http://${urlHost}:${port}`,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            server.closeAllConnections();
          }),
      });
    });
  });
}
