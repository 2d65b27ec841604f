import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { formatHostPort, parseHostPort } from '../src/hostport.js';

describe('host:port', () => {
  it('parses names, IPv4 and bracketed IPv6', () => {
    expect(parseHostPort('127.0.0.1:7618')).toEqual({ host: '127.0.0.1', port: 7618 });
    expect(parseHostPort('[::1]:17618')).toEqual({ host: '::1', port: 17618 });
    expect(parseHostPort('seed.example:1')).toEqual({ host: 'seed.example', port: 1 });
    expect(parseHostPort('seed.example', 7618)).toEqual({ host: 'seed.example', port: 7618 });
    expect(parseHostPort('[fe80::1]', 9)).toEqual({ host: 'fe80::1', port: 9 });
  });

  it('rejects what has no valid port, or an unbracketed IPv6, with bad-address', () => {
    for (const bad of ['', 'host', 'host:', 'host:0', 'host:65536', 'host:-1', 'host:1x', '::1:7618', '[::1]', '[::1]:', ':7618', 'a b:1']) {
      expect(() => parseHostPort(bad), bad).toThrow(InputError);
      try {
        parseHostPort(bad);
      } catch (e) {
        expect((e as InputError).code).toBe('bad-address');
      }
    }
    expect(() => parseHostPort('::1:7618')).toThrow(/brackets/);
  });

  it('format and parse are inverse', () => {
    const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain());
    fc.assert(
      fc.property(host, fc.integer({ min: 1, max: 65535 }), (h, port) => {
        expect(parseHostPort(formatHostPort(h, port))).toEqual({ host: h, port });
      }),
    );
  });
});
