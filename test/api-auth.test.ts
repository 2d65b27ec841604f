// API credentials (src/api/auth.ts): bitcoind's rpcauth format checked against Bitcoin Core's own vector, the
// cookie file, which requests pass without a credential, and the bind check.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSafeBind, cookieAuthorization, createAuth, isLoopback, newApiAuth, writeCookie } from '../src/api/auth.js';
import { InputError } from '../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'bloom-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const req = (method: string, remote: string, authorization?: string): IncomingMessage =>
  ({ method, socket: { remoteAddress: remote }, headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;
const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

// Bitcoin Core test/functional/rpc_users.py: rpcauth=rt:<salt>$<hmac> for the password below
const CORE_LINE = 'rt:93648e835a54c573682c2eb19f882535$7681e9c5b74bdd85e78166031d2058e1069b3ed7ed967c93fc63abba06f31144';
const CORE_PASSWORD = 'cA773lm788buwYe4g4WT+05pKyNruVKjQ25x3n0DQcM=';

describe('api auth', () => {
  it("accepts Bitcoin Core's rpcauth vector and nothing near it", () => {
    const a = createAuth({ rpcauth: CORE_LINE });
    expect(a.allows(req('POST', '10.0.0.9', basic('rt', CORE_PASSWORD)))).toBe(true);
    expect(a.allows(req('POST', '10.0.0.9', basic('rt', CORE_PASSWORD.slice(1))))).toBe(false);
    expect(a.allows(req('POST', '10.0.0.9', basic('rt2', CORE_PASSWORD)))).toBe(false);
    expect(a.allows(req('POST', '10.0.0.9', `Bearer ${CORE_PASSWORD}`))).toBe(false); // bearer is the cookie's only
  });

  it('newApiAuth lines verify with their password and store no password', () => {
    const { line, password } = newApiAuth('ops');
    expect(line).toMatch(/^ops:[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(line).not.toContain(password);
    expect(createAuth({ rpcauth: line }).allows(req('GET', '192.0.2.7', basic('ops', password)))).toBe(true);
    expect(() => newApiAuth('a:b')).toThrow(InputError);
  });

  it('reads from loopback pass; writes and remote reads need the cookie or the rpcauth password', () => {
    const a = createAuth({ cookie: 'ab'.repeat(32) });
    expect(a.allows(req('GET', '127.0.0.1'))).toBe(true);
    expect(a.allows(req('GET', '::ffff:127.0.0.1'))).toBe(true);
    expect(a.allows(req('GET', '::1'))).toBe(true);
    expect(a.allows(req('GET', '192.0.2.7'))).toBe(false);
    expect(a.allows(req('POST', '127.0.0.1'))).toBe(false);
    expect(a.allows(req('DELETE', '127.0.0.1'))).toBe(false);
    expect(a.allows(req('POST', '127.0.0.1', `Bearer ${'ab'.repeat(32)}`))).toBe(true);
    expect(a.allows(req('POST', '127.0.0.1', basic('__cookie__', 'ab'.repeat(32))))).toBe(true);
    expect(a.allows(req('POST', '127.0.0.1', basic('someone', 'ab'.repeat(32))))).toBe(false);
    expect(a.allows(req('POST', '127.0.0.1', `Bearer ${'ab'.repeat(31)}`))).toBe(false);
    expect(a.allows(req('POST', '127.0.0.1', 'Digest x'))).toBe(false);
    expect(a.allows(req('POST', '127.0.0.1', 'Basic !!!'))).toBe(false);
  });

  it('the cookie file: 0600, bitcoind format, removed only while it is still ours', () => {
    const c = writeCookie(dir);
    const path = join(dir, '.cookie');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`__cookie__:${c.token}`);
    expect(cookieAuthorization(dir)).toBe(basic('__cookie__', c.token));
    const next = writeCookie(dir); // a newer node's cookie
    c.remove();
    expect(existsSync(path)).toBe(true);
    next.remove();
    expect(existsSync(path)).toBe(false);
    expect(cookieAuthorization(dir)).toBeUndefined();
  });

  it('loopback hosts, and the bind check', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.0.2.1', '10.0.0.1', 'example.org', '128.0.0.1', undefined]) expect(isLoopback(h), String(h)).toBe(false);
    expect(() => assertSafeBind('127.0.0.1', undefined)).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', CORE_LINE)).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', undefined)).toThrow(expect.objectContaining({ code: 'api-auth-required' }));
  });
});
