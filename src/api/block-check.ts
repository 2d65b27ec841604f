// A block's proofs checked from its raw bytes with any Core: the header's sha256d meets its own compact
// target, the certificate's 64 phases recompute to r ≥ Z_C (with enough rounds and the claimed r), and
// sha256d(certificate || miner) is the header's certHash. Pure and browser-safe (its imports are the browser core's plus chain/header.js
// and bytes.js, none touching a Node built-in at load): the operator console runs it in the page.
import { CERT_PHASES, HEADER_SIZE, MIN_COHERENCE_ROUNDS, Z_C } from '../constants.js';
import { bitsToTarget, HEADER_OFFSET, headerTimeAt } from '../chain/header.js';
import type { Core } from '../core/types.js';

/** block.ts's CERT_SIZE (block.ts itself pulls the tx codec and node:crypto, which a page cannot load). */
export const CERT_BYTES = 16 + 4 * CERT_PHASES;

/** validate.ts's CERT_R_TOLERANCE (validate.ts pulls the tx codec too): claimed r may differ by float32 rounding. */
export const CLAIMED_R_TOLERANCE = 1e-4;

/** What the checks need of a core (the browser entry's and the node's Core both qualify). */
export type CheckCore = Pick<Core, 'sha256d' | 'orderParameter'>;

/**
 * The node's ValidationError codes for the same rules, plus bad-hash (the hash served is not the header's)
 * and bad-genesis (a height-0 header that is not the network's genesis).
 */
export type BlockCheckCode =
  | 'bad-size'
  | 'bad-hash'
  | 'bad-genesis'
  | 'bad-bits'
  | 'high-hash'
  | 'bad-cert'
  | 'cert-rounds'
  | 'cert-below-zc'
  | 'cert-r-mismatch'
  | 'bad-cert-hash';

export interface BlockCheckInput {
  /** The 118 serialized header bytes. */
  header: Uint8Array;
  /** The serialized certificate (CERT_BYTES). */
  certificate: Uint8Array;
  /** The 20-byte address the certificate hash commits to. */
  minerAddress: Uint8Array;
  /** The hash a server claims for this header, if any: it must be sha256d(header). */
  hash?: Uint8Array;
  /**
   * The network's genesis hash. Genesis carries no proof (nonce 0, a zero-rounds certificate): the node
   * takes it from its software, so a height-0 header is verified by being exactly it, and fails without it.
   */
  genesisHash?: Uint8Array;
}

export interface BlockCheck {
  verified: boolean;
  /** Read from the header bytes (NaN when the header has the wrong size). */
  height: number;
  time: number;
  /** sha256d(header), raw byte order (empty when the header has the wrong size). */
  hash: Uint8Array;
  /** r recomputed from the certificate's phases (NaN when the certificate does not decode). */
  r: number;
  /** Height 0, checked against the genesis hash instead of proofs. */
  genesis: boolean;
  failures: { code: BlockCheckCode; message: string }[];
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Big-endian bytes as a bigint, without bytes.ts's Buffer-based hex (not in a browser). */
function bigBE(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

/** The certificate's phases, or why they cannot be read (the rules of block.ts's decodeCert). */
function certPhases(c: Uint8Array): { phases: Float64Array; rounds: number; claimed: number } | string {
  if (c.length !== CERT_BYTES) return `certificate is ${c.length} bytes, want ${CERT_BYTES}`;
  const dv = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const n = dv.getUint32(12, true);
  if (n !== CERT_PHASES) return `certificate has ${n} phases, want ${CERT_PHASES}`;
  const phases = new Float64Array(n);
  for (let i = 0; i < n; i++) phases[i] = dv.getFloat32(16 + 4 * i, true);
  if (!phases.every(Number.isFinite)) return 'certificate holds a non-finite phase';
  const claimed = dv.getFloat32(0, true);
  if (!Number.isFinite(claimed) || !Number.isFinite(dv.getFloat32(4, true))) return 'certificate holds a non-finite number';
  return { phases, rounds: dv.getUint32(8, true), claimed };
}

export function checkBlockProof(core: CheckCore, input: BlockCheckInput): BlockCheck {
  const failures: BlockCheck['failures'] = [];
  const fail = (code: BlockCheckCode, message: string): void => void failures.push({ code, message });
  const { header } = input;
  if (header.length !== HEADER_SIZE) {
    fail('bad-size', `header is ${header.length} bytes, want ${HEADER_SIZE}`);
    return { verified: false, height: NaN, time: NaN, hash: new Uint8Array(0), r: NaN, genesis: false, failures };
  }
  const dv = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const height = dv.getUint32(HEADER_OFFSET.height, true);
  const hash = core.sha256d(header);
  if (input.hash !== undefined && !sameBytes(input.hash, hash)) fail('bad-hash', 'the hash served is not sha256d(header)');
  const cert = certPhases(input.certificate);
  const r = typeof cert === 'string' ? NaN : core.orderParameter(cert.phases).r;
  const done = (genesis: boolean): BlockCheck => ({ verified: failures.length === 0, height, time: headerTimeAt(dv, 0), hash, r, genesis, failures });
  if (height === 0) {
    if (!input.genesisHash || !sameBytes(input.genesisHash, hash)) fail('bad-genesis', 'a height-0 header that is not this network\'s genesis');
    return done(true);
  }

  const bits = dv.getUint32(HEADER_OFFSET.bits, true);
  const target = bitsToTarget(bits);
  if (target === undefined) fail('bad-bits', `invalid compact target 0x${bits.toString(16)}`);
  else if (bigBE(hash) > target) fail('high-hash', 'sha256d(header) is above the target of its bits');

  if (typeof cert === 'string') fail('bad-cert', cert);
  else {
    if (!(r >= Z_C)) fail('cert-below-zc', `recomputed r ${r.toFixed(6)} below Z_C`);
    if (cert.rounds < MIN_COHERENCE_ROUNDS) fail('cert-rounds', `${cert.rounds} coherent rounds, need ${MIN_COHERENCE_ROUNDS}`);
    if (!(Math.abs(r - cert.claimed) <= CLAIMED_R_TOLERANCE)) fail('cert-r-mismatch', `claimed r ${cert.claimed}, recomputed ${r}`);
  }
  const committed = new Uint8Array(input.certificate.length + input.minerAddress.length);
  committed.set(input.certificate);
  committed.set(input.minerAddress, input.certificate.length);
  const certHash = header.subarray(HEADER_OFFSET.certHash, HEADER_OFFSET.certHash + 32);
  if (input.minerAddress.length !== 20 || !sameBytes(core.sha256d(committed), certHash)) {
    fail('bad-cert-hash', 'sha256d(certificate || miner address) is not the header certHash');
  }
  return done(false);
}
