// A tiny router and JSON helpers over node:http: exact routes with :params, 404/405, capped bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InputError, type ErrorCode } from '../errors.js';

/** An error answered as `{ error: { code, message, field? } }` with an HTTP status. */
export class ApiError extends InputError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(code, message);
  }
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type RouteHandler = (ctx: Ctx) => Promise<Reply> | Reply;

export type Reply =
  | { status?: number; json: unknown }
  | { status?: number; body: string | Uint8Array; contentType: string };

interface Route {
  method: string;
  /** Pattern as written ("/blocks/:ref"): the metrics label. */
  pattern: string;
  re: RegExp;
  keys: string[];
  handler: RouteHandler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    const keys: string[] = [];
    const re = new RegExp(
      '^' +
        pattern.replace(/\/:([a-zA-Z]+)/g, (_m, k: string) => {
          keys.push(k);
          return '/([^/]+)';
        }) +
        '/?$',
    );
    this.routes.push({ method, pattern, re, keys, handler });
    return this;
  }

  /** The route for a path, or why there is none (404 / 405 with the allowed methods). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { status: 404 | 405; allow?: string[] } {
    const allow: string[] = [];
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        allow.push(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = safeDecode(m[i + 1]!);
      });
      return { route: r, params };
    }
    return allow.length ? { status: 405, allow } : { status: 404 };
  }
}

/** An integer query parameter in [min, max] (`def` when absent); anything else is a 400 naming it. */
export function intParam(q: URLSearchParams, field: string, def: number, min: number, max: number): number {
  const v = q.get(field);
  if (v === null || v === '') return def;
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ApiError(400, 'bad-param', `${field} must be an integer from ${min} to ${max}`, field);
  }
  return Number(v);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a body up to `limit` bytes; beyond it rejects with 413 before buffering more. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new ApiError(413, 'body-too-large', `request body over ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let n = 0;
    const onData = (c: Buffer): void => {
      n += c.length;
      if (n > limit) {
        req.off('data', onData);
        reject(new ApiError(413, 'body-too-large', `request body over ${limit} bytes`));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: string | Uint8Array, contentType: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

/** JSON with bigints as decimal strings. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

export function errorBody(code: ErrorCode, message: string, field?: string): string {
  return toJson({ error: { code, message, ...(field ? { field } : {}) } });
}
