import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIp, normalizeHost, parseIp, parseIpInto } from '../src/wire/ip.js';

describe('ip', () => {
  it('parses and formats canonical forms', () => {
    const cases: [string, string | null][] = [
      ['1.2.3.4', '1.2.3.4'], ['::1', '::1'], ['::', '::'], ['fe80::1', 'fe80::1'],
      ['::ffff:1.2.3.4', '1.2.3.4'], ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'], ['1::', '1::'], ['::1.2.3.4', '::102:304'],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'], ['[::1]', '::1'], ['2001:DB8::A', '2001:db8::a'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['1:2:3:4:5:6:7:8:9', null], ['01.2.3.4', null], ['256.1.1.1', null], ['foo', null],
      ['1::2::3', null], ['fe80::1%eth0', null], ['12345::', null], ['1:2:3:4:5:6:7', null],
    ];
    for (const [inp, want] of cases) {
      const b = parseIp(inp);
      expect(b ? formatIp(b) : null, inp).toBe(want);
    }
  });
  it('round-trips any 16 bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      expect(parseIp(formatIp(b))).toEqual(b);
    }), { numRuns: 2000 });
  });
  it('accepts exactly the dotted quads the regex rule accepts', () => {
    // The regex parser that the hand-rolled one replaced, as the reference.
    const ref = (h: string): boolean => {
      const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
      return m !== null && m.slice(1).every((p) => Number(p) <= 255 && !(p.length > 1 && p[0] === '0'));
    };
    for (const h of ['0.0.0.0', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.0004', '00.1.1.1', '1.2.3.255', '1.2.3.256', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.a']) {
      expect(parseIp(h) !== null && !h.includes(':'), h).toBe(ref(h));
    }
    fc.assert(fc.property(fc.array(fc.constantFrom('0', '1', '2', '5', '9', '.', 'x'), { maxLength: 16 }), (cs) => {
      const h = cs.join('');
      expect(parseIp(h) !== null, h).toBe(ref(h));
    }), { numRuns: 5000 });
    expect([...parseIp('10.20.30.40')!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 20, 30, 40]);
  });
  it('normalizes v4-mapped remote addresses', () => {
    expect(normalizeHost('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeHost('[::1]')).toBe('::1');
  });
});

describe('parseIpInto (ADDR encoding without an array per address)', () => {
  it('writes exactly what parseIp returns, and refuses what it refuses without touching the output', () => {
    const hosts = ['1.2.3.4', '255.255.255.255', '0.0.0.0', '10.0.0.01', '::ffff:10.1.2.3', '[::ffff:10.1.2.3]', '2001:db8::1', '[::1]', '::', 'fe80::1%eth0', 'seed.example', '1.2.3', ''];
    for (let i = 0; i < 200; i++) hosts.push(`${(i * 37) % 256}.${(i * 11) % 256}.${i % 256}.${(i * 101) % 256}`);
    const out = new Uint8Array(16);
    for (const h of hosts) {
      out.fill(0xaa); // stale bytes from a previous address must all be overwritten
      const ref = parseIp(h);
      expect(parseIpInto(h, out)).toBe(ref !== null);
      expect([...out]).toEqual(ref ? [...ref] : new Array(16).fill(0xaa));
    }
  });
});
