// A block's proofs checked from its raw bytes with any Core: the header's sha256d meets its own compact
// target, the certificate's 64 phases recompute to r ≥ Z_C (with enough rounds and the claimed r), and
// sha256d(certificate || miner) is the header's certHash. Pure and browser-safe (its imports are the browser
// core's plus chain/header.js, chain/cert.js and bytes.js, none touching a Node built-in at load): the operator
// console runs it in the page, with the node's own certificate rules (chain/cert.ts).
import { HEADER_SIZE } from '../constants.js';
import { equalBytes } from '../bytes.js';
import { certHash, certificateFailures, decodeCert, type CertRuleCode } from '../chain/cert.js';
import { bitsToTarget, HEADER_OFFSET, headerTimeAt } from '../chain/header.js';
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import type { Certificate } from '../chain/types.js';

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
  | CertRuleCode
  | 'bad-cert-hash';

export interface BlockCheckInput {
  /** The 118 serialized header bytes. */
  header: Uint8Array;
  /** The serialized certificate (CERT_SIZE bytes). */
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

/** Big-endian bytes as a bigint, without bytes.ts's Buffer-based hex (not in a browser). */
function bigBE(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

/** The decoded certificate, or why it does not decode (decodeCert's refusal). */
function certOf(c: Uint8Array): Certificate | string {
  try {
    return decodeCert(c);
  } catch (e) {
    if (e instanceof ValidationError) return e.message;
    throw e;
  }
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
  if (input.hash !== undefined && !equalBytes(input.hash, hash)) fail('bad-hash', 'the hash served is not sha256d(header)');
  const cert = certOf(input.certificate);
  const rules = typeof cert === 'string' ? undefined : certificateFailures(core, cert);
  const r = rules ? rules.r : NaN;
  const done = (genesis: boolean): BlockCheck => ({ verified: failures.length === 0, height, time: headerTimeAt(dv, 0), hash, r, genesis, failures });
  if (height === 0) {
    if (!input.genesisHash || !equalBytes(input.genesisHash, hash)) fail('bad-genesis', 'a height-0 header that is not this network\'s genesis');
    return done(true);
  }

  const bits = dv.getUint32(HEADER_OFFSET.bits, true);
  const target = bitsToTarget(bits);
  if (target === undefined) fail('bad-bits', `invalid compact target 0x${bits.toString(16)}`);
  else if (bigBE(hash) > target) fail('high-hash', 'sha256d(header) is above the target of its bits');

  if (typeof cert === 'string') fail('bad-cert', cert);
  for (const f of rules?.failures ?? []) fail(f.code, f.message);
  const committed = header.subarray(HEADER_OFFSET.certHash, HEADER_OFFSET.certHash + 32);
  if (input.minerAddress.length !== 20 || !equalBytes(certHash(core, input.certificate, input.minerAddress), committed)) {
    fail('bad-cert-hash', 'sha256d(certificate || miner address) is not the header certHash');
  }
  return done(false);
}
