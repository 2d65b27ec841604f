// checkHeaderRun (the header-sync fast path over raw bytes) and checkHeader (over decoded headers) give
// the same verdict, header by header, on runs with random faults.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import { concatBytes } from '../src/bytes.js';
import { decodeHeader, encodeHeader, HEADER_VERSION } from '../src/chain/header.js';
import type { Header } from '../src/chain/types.js';
import { checkHeader, checkHeaderRun } from '../src/chain/validate.js';
import { ValidationError } from '../src/errors.js';
import { core } from './helpers/chain.js';

const EASY_BITS = 0x207fffff; // about half of all hashes meet it
const HARD_BITS = 0x1d00ffff; // none do in this test
const NOW = 1_800_000_000_000;

/** One header's fault, or none. */
const fault = fc.constantFrom('none', 'none', 'none', 'version', 'prev', 'height', 'old', 'future', 'bits', 'hard', 'huge-time');

function build(parent: { hash: Uint8Array; height: number; timestamp: number }, f: string, nonce: number, gap: number): Header {
  const h: Header = {
    version: f === 'version' ? HEADER_VERSION + 1 : HEADER_VERSION,
    height: parent.height + (f === 'height' ? 2 : 1),
    prevHash: f === 'prev' ? new Uint8Array(32).fill(9) : parent.hash,
    merkleRoot: new Uint8Array(32).fill(1),
    certHash: new Uint8Array(32).fill(2),
    timestamp: f === 'old' ? parent.timestamp : f === 'future' ? NOW + 3 * 60_000 : parent.timestamp + gap,
    bits: f === 'bits' ? EASY_BITS - 1 : f === 'hard' ? HARD_BITS : EASY_BITS,
    nonce,
  };
  return h;
}

describe('checkHeader and checkHeaderRun agree', () => {
  it('same number passed and the same first error code, on random runs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ f: fault, nonce: fc.nat({ max: 0xffff_ffff }), gap: fc.integer({ min: 1, max: 600_000 }) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 10_000 }),
        (specs, startHeight) => {
          const parent = { hash: new Uint8Array(32).fill(7), height: startHeight, timestamp: NOW - 3_600_000, bits: EASY_BITS };
          const bytes: Uint8Array[] = [];
          let p: { hash: Uint8Array; height: number; timestamp: number } = { hash: parent.hash, height: parent.height, timestamp: parent.timestamp };
          for (const s of specs) {
            const enc = encodeHeader(build(p, s.f, s.nonce, s.gap));
            if (s.f === 'huge-time') new DataView(enc.buffer).setUint32(106, 0xffff_ffff, true); // beyond 2^53 ms
            bytes.push(enc);
            const hash = core.sha256d(enc);
            p = { hash, height: p.height + 1, timestamp: s.f === 'huge-time' ? p.timestamp : decodeHeader(enc).timestamp };
          }
          const buf = concatBytes(bytes);
          const hashes = core.sha256dBatch(buf, HEADER_SIZE);
          const run = checkHeaderRun(buf, hashes, bytes.length, parent, NOW, () => EASY_BITS);

          // the same run, one decoded header at a time
          let passed = 0;
          let code: string | undefined;
          let ref: { hash: Uint8Array; height: number; timestamp: number } = { hash: parent.hash, height: parent.height, timestamp: parent.timestamp };
          for (let i = 0; i < bytes.length; i++) {
            const hash = hashes.subarray(32 * i, 32 * i + 32);
            try {
              const h = decodeHeader(bytes[i]!);
              checkHeader(h, hash, ref, EASY_BITS, NOW);
              ref = { hash, height: h.height, timestamp: h.timestamp };
              passed++;
            } catch (e) {
              if (!(e instanceof ValidationError)) throw e;
              code = e.code;
              break;
            }
          }
          expect(run.passed).toBe(passed);
          expect(run.error?.code).toBe(code);
          expect(run.lastTime).toBe(ref.timestamp);
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });
});
