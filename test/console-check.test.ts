// The console's block proof checks (src/api/block-check.ts) against the node's own validation rules:
// the same verdict on honest blocks, forged certificates, high hashes and flipped bytes, with the
// reference core and the WASM core; and its module graph is what the API serves under /pkg/.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CERT_PHASES, DEVNET, HEADER_SIZE, MAINNET } from '../src/constants.js';
import { createReferenceCore } from '../src/core/reference.js';
import { decodeBlockParts } from '../src/chain/block.js';
import { CERT_SIZE, certHash, decodeCert, encodeCert, CERT_R_TOLERANCE, checkCertificate } from '../src/chain/cert.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { decodeHeader, hashHeader, targetBytesOfBits } from '../src/chain/header.js';
import { lessOrEqualBE } from '../src/chain/bytes.js';
import { ValidationError } from '../src/errors.js';
import { BROWSER_CORE_ASSETS } from '../src/core/browser-assets.js';
import * as blockCheck from '../src/api/block-check.js';
import { checkBlockProof, type BlockCheckInput } from '../src/api/block-check.js';
import { CONSOLE_ASSETS } from '../src/api/console.js';
import { core, EASY, goodCert, makeBlock, type Parent } from './helpers/chain.js';

const reference = createReferenceCore();
const genesis = genesisBlock(core, EASY);
const parent: Parent = { hash: genesis.hash, header: genesis.header };

/** The node's verdict on the same rules: certHash binding (checkBlockBody), checkCertificate, and checkHeader's proof of work. */
/** The node's proof rules on a header that decodes (decodeHeader's own refusals reach the caller). */
function nodeVerdict(input: BlockCheckInput): string | null {
  const h = decodeHeader(input.header);
  try {
    const hash = hashHeader(core, input.header);
    if (!lessOrEqualBE(hash, targetBytesOfBits(h.bits))) throw new ValidationError('high-hash', 'above target');
    if (!Buffer.from(certHash(core, input.certificate, input.minerAddress)).equals(Buffer.from(h.certHash))) {
      throw new ValidationError('bad-cert-hash', 'mismatch');
    }
    checkCertificate(core, decodeCert(input.certificate));
    return null;
  } catch (e) {
    if (e instanceof ValidationError) return e.code;
    throw e;
  }
}

function inputOf(bytes: Uint8Array): BlockCheckInput {
  const parts = decodeBlockParts(bytes);
  return { header: parts.headerBytes.slice(), certificate: parts.certBytes.slice(), minerAddress: parts.block.minerAddress.slice() };
}

/** A certificate whose phases spread over ±spread rad around 1 (r falls as spread grows), claimed r consistent. */
function spreadCert(spread: number, rounds: number, seed: number) {
  const phases = new Float64Array(CERT_PHASES);
  for (let i = 0; i < CERT_PHASES; i++) phases[i] = Math.fround(1 + spread * Math.sin(i * 1.7 + seed));
  const { r, psi } = core.orderParameter(phases);
  return { r: Math.fround(r), psi: Math.fround(psi), rounds, phases };
}

describe('checkBlockProof', () => {
  it('restates none of the node constants: it runs the certificate rules of chain/cert.ts', () => {
    expect(Object.keys(blockCheck).sort()).toEqual(['checkBlockProof']);
    expect(readFileSync('dist/api/block-check.js', 'utf8')).toContain("from '../chain/cert.js'");
    // CERT_R_TOLERANCE is the one the page applies: just within it passes, just beyond it fails
    const at = (dr: number) => checkBlockProof(core, inputOf(makeBlock(parent, { cert: { ...goodCert(), r: Math.fround(goodCert().r + dr) } }).bytes));
    expect(at(CERT_R_TOLERANCE / 2).verified).toBe(true);
    expect(at(CERT_R_TOLERANCE * 2).failures.map((f) => f.code)).toEqual(['cert-r-mismatch']);
    expect(checkBlockProof(core, { ...inputOf(makeBlock(parent).bytes), certificate: new Uint8Array(CERT_SIZE + 1) }).failures[0]?.code).toBe('bad-cert');
  });

  it('reports every certificate rule broken, the first being the one the node names', () => {
    const both = makeBlock(parent, { cert: spreadCert(2.5, 3, 1) });
    expect(nodeVerdict(inputOf(both.bytes))).toBe('cert-rounds');
    expect(checkBlockProof(core, inputOf(both.bytes)).failures.map((f) => f.code)).toEqual(['cert-rounds', 'cert-below-zc']);
  });

  it('verifies an honest block with either core, and reads height, time and hash from the header', () => {
    const m = makeBlock(parent);
    const input = { ...inputOf(m.bytes), hash: m.hash };
    expect(nodeVerdict(input)).toBeNull();
    for (const c of [core, reference]) {
      const v = checkBlockProof(c, input);
      expect(v.failures).toEqual([]);
      expect(v.verified).toBe(true);
      expect(v.genesis).toBe(false);
      expect(v.height).toBe(1);
      expect(v.time).toBe(m.header.timestamp);
      expect(Buffer.from(v.hash).toString('hex')).toBe(Buffer.from(m.hash).toString('hex'));
      expect(v.r).toBeCloseTo(goodCert().r, 6);
    }
  });

  it('names each broken rule as the node does', () => {
    const low = makeBlock(parent, { cert: spreadCert(2.5, 9, 1) });
    expect(nodeVerdict(inputOf(low.bytes))).toBe('cert-below-zc');
    expect(checkBlockProof(core, inputOf(low.bytes)).failures.map((f) => f.code)).toEqual(['cert-below-zc']);

    const few = makeBlock(parent, { cert: goodCert({ rounds: 3 }) });
    expect(nodeVerdict(inputOf(few.bytes))).toBe('cert-rounds');
    expect(checkBlockProof(core, inputOf(few.bytes)).failures.map((f) => f.code)).toEqual(['cert-rounds']);

    const lying = makeBlock(parent, { cert: goodCert({ r: 0.99 }) });
    expect(nodeVerdict(inputOf(lying.bytes))).toBe('cert-r-mismatch');
    expect(checkBlockProof(core, inputOf(lying.bytes)).failures.map((f) => f.code)).toEqual(['cert-r-mismatch']);

    const high = makeBlock({ hash: genesis.hash, header: { ...genesis.header, bits: DEVNET.startBits } }, { highHash: true });
    expect(nodeVerdict(inputOf(high.bytes))).toBe('high-hash');
    expect(checkBlockProof(core, inputOf(high.bytes)).failures.map((f) => f.code)).toEqual(['high-hash']);

    const honest = makeBlock(parent);
    const other = { ...inputOf(honest.bytes), minerAddress: new Uint8Array(20).fill(0xbb) }; // a relay rewriting the payee
    expect(nodeVerdict(other)).toBe('bad-cert-hash');
    expect(checkBlockProof(core, other).failures.map((f) => f.code)).toEqual(['bad-cert-hash']);

    const wrongHash = { ...inputOf(honest.bytes), hash: new Uint8Array(32).fill(1) };
    expect(checkBlockProof(core, wrongHash).failures.map((f) => f.code)).toEqual(['bad-hash']);

    const short = checkBlockProof(core, { ...inputOf(honest.bytes), header: honest.bytes.subarray(0, HEADER_SIZE - 1) });
    expect(short.verified).toBe(false);
    expect(short.failures.map((f) => f.code)).toEqual(['bad-size']);

    const cut = inputOf(honest.bytes);
    const noCert = checkBlockProof(core, { ...cut, certificate: cut.certificate.subarray(0, 100) });
    expect(noCert.failures.map((f) => f.code)).toEqual(['bad-cert', 'bad-cert-hash']);
    expect(noCert.r).toBeNaN();
  });

  it('takes genesis by its hash, not by proof (it has none)', () => {
    const g = { header: genesis.headerBytes, certificate: encodeCert(decodeBlockParts(genesis.bytes).block.cert), minerAddress: new Uint8Array(20) };
    expect(checkBlockProof(core, { ...g, genesisHash: genesis.hash })).toMatchObject({ verified: true, genesis: true, height: 0, failures: [] });
    expect(checkBlockProof(core, g).failures.map((f) => f.code)).toEqual(['bad-genesis']);
    const mainnet = genesisBlock(core, MAINNET);
    expect(checkBlockProof(core, { ...g, genesisHash: mainnet.hash }).verified).toBe(false);
  });

  it('agrees with the node on forged certificates and on any flipped byte (property)', () => {
    const base = makeBlock(parent);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ kind: fc.constant('cert' as const), spread: fc.double({ min: 0, max: 3, noNaN: true }), rounds: fc.integer({ min: 0, max: 30 }), seed: fc.integer({ min: 0, max: 1000 }), high: fc.boolean() }),
          fc.record({ kind: fc.constant('flip' as const), at: fc.integer({ min: 0, max: HEADER_SIZE + CERT_SIZE + 19 }), xor: fc.integer({ min: 1, max: 255 }) }),
        ),
        (c) => {
          let input: BlockCheckInput;
          if (c.kind === 'cert') {
            const hard = c.high ? { hash: genesis.hash, header: { ...genesis.header, bits: DEVNET.startBits } } : parent;
            input = inputOf(makeBlock(hard, { cert: spreadCert(c.spread, c.rounds, c.seed), highHash: c.high }).bytes);
          } else {
            input = inputOf(base.bytes);
            const at = c.at;
            // the height bytes would make it a genesis candidate: a different rule, tested above
            if (at >= 2 && at < 6) return;
            if (at < HEADER_SIZE) input.header[at]! ^= c.xor;
            else if (at < HEADER_SIZE + CERT_SIZE) input.certificate[at - HEADER_SIZE]! ^= c.xor;
            else input.minerAddress[at - HEADER_SIZE - CERT_SIZE]! ^= c.xor;
          }
          let node: string | null;
          try {
            node = nodeVerdict(input);
          } catch (e) {
            // decodeHeader refuses a timestamp beyond 2^53 before any proof rule; the checks ignore time
            if (e instanceof ValidationError) return;
            throw e;
          }
          for (const k of [core, reference]) {
            const v = checkBlockProof(k, input);
            expect(v.verified, JSON.stringify({ c, node, got: v.failures })).toBe(node === null);
            if (node !== null) expect(v.failures.map((f) => f.code)).toContain(node);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the console page assets', () => {
  it('CONSOLE_ASSETS is the browser core plus the import graph of dist/api/block-check.js, all relative', () => {
    const seen = new Set<string>();
    const walk = (rel: string): void => {
      if (seen.has(rel)) return;
      seen.add(rel);
      for (const m of readFileSync(rel, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        expect(m[1]!.startsWith('.'), `${rel} imports a bare specifier ${m[1]}`).toBe(true);
        walk(posix.normalize(posix.join(posix.dirname(rel), m[1]!)));
      }
    };
    walk('dist/api/block-check.js');
    walk('dist/core/browser.js');
    expect([...seen, 'build/core.wasm'].sort()).toEqual([...CONSOLE_ASSETS].sort());
    for (const a of BROWSER_CORE_ASSETS) expect(CONSOLE_ASSETS).toContain(a);
  });
});
