import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BloomError,
  CODES,
  InputError,
  isErrorCode,
  pointsFor,
  ProtocolError,
  reasonText,
  toErrorCode,
  ValidationError,
  verdictOf,
  type ErrorCode,
} from '../src/errors.js';

const codes = Object.keys(CODES) as ErrorCode[];

describe('error code registry', () => {
  it('every code is kebab-case with numeric points ≥ 0', () => {
    expect(codes.length).toBeGreaterThanOrEqual(76);
    for (const c of codes) {
      expect(c, c).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      const v = CODES[c];
      expect(Number.isInteger(v.points) && v.points >= 0, c).toBe(true);
      expect(typeof v.peerFault, c).toBe('boolean');
    }
  });

  it('codes are unique across sections (the table throws on a repeat; the source lists each key once)', () => {
    const src = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const body = src.slice(src.indexOf('const SECTIONS'), src.indexOf('} as const satisfies Record<Layer'));
    const keys = [...body.matchAll(/^ {4}'?([a-z][a-z0-9-]*)'?: /gm)].map((m) => m[1]!);
    expect(keys.length).toBe(codes.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("offence points are today's table values (SCORES, PENALTY, INVALID_PHASE_POINTS, peer.ts literals)", () => {
    const scored = Object.fromEntries(codes.filter((c) => CODES[c].points > 0).map((c) => [c, CODES[c].points]));
    expect(scored).toEqual({
      // p2p: SCORES and the literals in p2p/peer.ts
      'bad-frame': 100,
      'malformed-message': 20,
      'malformed-phase': 10,
      'handler-protocol-error': 10,
      'wrong-magic': 10,
      'before-handshake': 10,
      'unexpected-verack': 10,
      'duplicate-version': 10,
      // sync: PENALTY
      'sync-headers-invalid': 50,
      'sync-headers-do-not-connect': 20,
      'sync-headers-bad-range': 20,
      'sync-cannot-serve-claimed-height': 10,
      'sync-stalled': 5,
      'sync-header-stalled': 5,
      'sync-block-invalid': 50,
      'sync-block-short': 20,
      'sync-unsolicited-flood': 10,
      'sync-tx-invalid': 1,
      'sync-tx-size': 1,
      'sync-serve-flood': 1,
      // sync defences (issue 19)
      'sync-claim-unbacked': 10,
      'sync-headers-low-work': 10,
      'sync-block-rejected-again': 50,
      'sync-tx-rejected-again': 1,
      // gossip: INVALID_PHASE_POINTS, PHASE_FLOOD_POINTS
      'invalid-phase': 10,
      'invalid-coherence': 10,
      'phase-flood': 1,
      'getphase-flood': 1, // GETPHASE past GETPHASE_FLOOD per round
    });
    expect(CODES['unknown-type'].points).toBe(0); // SCORES.unknownType: counted, never scored
  });

  it("flags reproduce today's string sets exactly", () => {
    const having = (f: 'mutable' | 'final' | 'txFault'): string[] => codes.filter((c) => CODES[c][f]).sort();
    expect(having('mutable')).toEqual(['bad-cert', 'bad-cert-hash', 'bad-merkle-root', 'bad-size', 'duplicate-tx']); // MUTABLE_BODY_CODES
    expect(having('txFault')).toEqual(['bad-size', 'bad-tx-sig', 'insufficient-funds']); // BAD_TX_CODES + unfundable (issue 19.5)
    expect(having('final')).toEqual(['bad-size', 'bad-tx-sig', 'duplicate']); // FINAL_TX_CODES
    // BENIGN_BLOCK_CODES: the only chain rejection that is not the sender's fault
    expect(codes.filter((c) => CODES[c].layer === 'chain' && c !== 'closed' && c !== 'wrong-network' && c !== 'store-format' && c !== 'store-corrupt' && !CODES[c].peerFault)).toEqual([
      'time-too-new',
    ]);
  });

  it('sections are the layers, in order', () => {
    const layers = [...new Set(codes.map((c) => CODES[c].layer))];
    expect(layers).toEqual(['wire', 'p2p', 'chain', 'mempool', 'sync', 'gossip', 'core', 'input']);
  });

  it('verdictOf and pointsFor answer what callers used to decide by string sets', () => {
    expect(verdictOf('high-hash')).toMatchObject({ layer: 'chain', peerFault: true, points: 0 });
    expect(pointsFor('sync-block-invalid', 'high-hash')).toBe(50);
    expect(pointsFor('sync-block-invalid', 'time-too-new')).toBe(0);
    expect(pointsFor('sync-headers-invalid', 'time-too-new')).toBe(0);
    expect(pointsFor('sync-tx-invalid', 'mempool-full')).toBe(0);
    expect(pointsFor('sync-tx-invalid', 'bad-tx-sig')).toBe(1);
    expect(pointsFor('wrong-magic')).toBe(10);
    expect(reasonText({ code: 'sync-block-invalid', detail: 'cert-rounds' })).toBe('sync-block-invalid:cert-rounds');
    expect(reasonText({ code: 'phase-flood' })).toBe('phase-flood');
  });

  it('error classes carry code, detail and verdict', () => {
    const e = new ValidationError('bad-merkle-root', 'merkle root mismatch', 'height 7');
    expect(e).toBeInstanceOf(BloomError);
    expect(e.name).toBe('ValidationError');
    expect([e.code, e.detail, e.verdict?.mutable]).toEqual(['bad-merkle-root', 'height 7', true]);
    expect(new ProtocolError('truncated', 'x').verdict?.peerFault).toBe(true);
    expect(new InputError('wallet-corrupt', 'x').verdict).toMatchObject({ layer: 'input', peerFault: false, points: 0 });
  });

  it('every code is kebab-case (one naming style; the SCREAMING_SNAKE names are gone)', () => {
    for (const c of codes) expect(c).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('a code arriving as a string is kept when registered, else replaced by the fallback', () => {
    expect(toErrorCode('banned', 'peer-closed')).toBe('banned');
    expect(toErrorCode('socket-error', 'peer-closed')).toBe('peer-closed');
    expect(toErrorCode('PHASE_TOO_SHORT', 'rejected')).toBe('rejected');
    expect(toErrorCode(undefined, 'rejected')).toBe('rejected');
  });

  it('every literal code thrown in src/ is in the registry', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(new URL('../src', import.meta.url).pathname);
    const unknown: string[] = [];
    let seen = 0;
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/new (?:Bloom|Protocol|Validation|Input)Error\('([^']+)'/g)) {
        seen++;
        if (!isErrorCode(m[1]!)) unknown.push(`${f}: ${m[1]}`);
      }
      for (const m of src.matchAll(/(?:misbehave|penalize|loseStanding)\([^,()]+,[^,()]+, '([^':]+)'/g)) {
        seen++;
        if (!isErrorCode(m[1]!)) unknown.push(`${f}: ${m[1]}`);
      }
    }
    expect(seen).toBeGreaterThan(60);
    expect(unknown).toEqual([]);
  });
});
