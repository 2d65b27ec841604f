// API credentials as bitcoind does them: a random cookie in the data dir for local tools, and an rpcauth
// line (`user:salt$hmac`, no password stored) for anyone else. Reads stay open to loopback clients.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** `<data-dir>/.cookie`, mode 0600: `__cookie__:<64 hex>`, bitcoind's format, so `curl --user "$(cat …)"` works. */
export const COOKIE_FILE = '.cookie';
export const COOKIE_USER = '__cookie__';
export const REALM = 'bloomcoin';

/** 127.0.0.0/8, ::1, an IPv4-mapped loopback, or `localhost`. */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Refuses an API reachable beyond this machine with no credential to guard it (exit 7, docs/operations.md). */
export function assertSafeBind(apiHost: string, apiAuth: string | undefined): void {
  if (isLoopback(apiHost) || apiAuth !== undefined) return;
  throw new InputError(
    'api-auth-required',
    `--api-host ${apiHost} is not a loopback address and no --api-auth is set: anyone who reaches it could read and submit; add --api-auth (from "bloomcoin api-auth <user>") or bind to 127.0.0.1`,
  );
}

/** HMAC-SHA256(key = salt, password), hex: bitcoind's share/rpcauth/rpcauth.py. */
const hmacHex = (salt: string, password: string): string => createHmac('sha256', salt).update(password).digest('hex');

/** A new rpcauth line and its password (`bloomcoin api-auth <user>`). */
export function newApiAuth(user: string, password = randomBytes(32).toString('base64url')): { line: string; password: string } {
  if (!/^[^\s:$]+$/.test(user)) throw new InputError('bad-api-auth', `api-auth: user "${user}" must be non-empty without spaces, ':' or '$'`);
  const salt = randomBytes(16).toString('hex');
  return { line: `${user}:${salt}$${hmacHex(salt, password)}`, password };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ApiAuth {
  /** Whether the request may go on: reads from a loopback client always; anything else with a valid credential. */
  allows(req: IncomingMessage): boolean;
  /** The 401 answer's message. */
  readonly hint: string;
}

/** The guard the API calls before routing; `cookie` is the token in the data dir, `rpcauth` the configured line. */
export function createAuth(opts: { cookie?: string; rpcauth?: string }): ApiAuth {
  const rpc = opts.rpcauth ? /^([^:]+):([^$]+)\$(.+)$/.exec(opts.rpcauth) : null;
  const valid = (user: string, password: string): boolean => {
    let ok = false; // no early return: the cost does not tell which check failed
    if (opts.cookie !== undefined && user === COOKIE_USER && sameText(password, opts.cookie)) ok = true;
    if (rpc && sameText(user, rpc[1]!) && sameText(hmacHex(rpc[2]!, password), rpc[3]!.toLowerCase())) ok = true;
    return ok;
  };
  const credentialOk = (header: string | undefined): boolean => {
    if (!header) return false;
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme!)) return valid(COOKIE_USER, value);
    if (!/^basic$/i.test(scheme!)) return false;
    const plain = Buffer.from(value, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    return i > 0 && valid(plain.slice(0, i), plain.slice(i + 1));
  };
  return {
    allows(req) {
      const read = req.method === 'GET' || req.method === 'HEAD';
      if (read && isLoopback(req.socket.remoteAddress)) return true;
      return credentialOk(req.headers.authorization);
    },
    hint: `this request needs a credential: the cookie in the node's data dir (<data-dir>/${COOKIE_FILE}, read by the bloomcoin CLI) or the --api-auth user's password`,
  };
}

/** Writes a fresh cookie (0600, via rename: never half a file) and returns its token and how to remove it. */
export function writeCookie(dataDir: string): { token: string; remove: () => void } {
  const token = randomBytes(32).toString('hex');
  const path = join(dataDir, COOKIE_FILE);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${COOKIE_USER}:${token}`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // a umask cannot widen it
  renameSync(tmp, path);
  return {
    token,
    remove: () => {
      try {
        if (readFileSync(path, 'utf8') === `${COOKIE_USER}:${token}`) rmSync(path);
      } catch {
        // already gone
      }
    },
  };
}

/** The `Authorization` header from a data dir's cookie, or undefined when there is none (no node ran there). */
export function cookieAuthorization(dataDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, COOKIE_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
  return text.includes(':') ? `Basic ${Buffer.from(text).toString('base64')}` : undefined;
}
