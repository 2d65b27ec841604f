// The coherence certificate: its bytes, its hash binding and its rules. Browser-safe on purpose (no
// Node built-in in its import graph, test/architecture.test.ts): the node and the console page share it.
import { CERT_PHASES, MIN_COHERENCE_ROUNDS, Z_C } from '../constants.js';
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import { concatBytes, dataView } from '../bytes.js';
import type { Certificate } from './types.js';

export const CERT_SIZE = 16 + 4 * CERT_PHASES;

/** Claimed r and recomputed r may differ by float32 rounding, no more. */
export const CERT_R_TOLERANCE = 1e-4;

export function encodeCert(c: Certificate): Uint8Array {
  if (c.phases.length !== CERT_PHASES) throw new ValidationError('bad-cert', `certificate needs ${CERT_PHASES} phases`);
  const out = new Uint8Array(CERT_SIZE);
  const dv = dataView(out);
  dv.setFloat32(0, c.r, true);
  dv.setFloat32(4, c.psi, true);
  dv.setUint32(8, c.rounds, true);
  dv.setUint32(12, CERT_PHASES, true);
  for (let i = 0; i < CERT_PHASES; i++) dv.setFloat32(16 + 4 * i, c.phases[i]!, true);
  return out;
}

export function decodeCert(b: Uint8Array): Certificate {
  if (b.length !== CERT_SIZE) throw new ValidationError('bad-cert', `certificate is ${b.length} bytes, want ${CERT_SIZE}`);
  const dv = dataView(b);
  const n = dv.getUint32(12, true);
  if (n !== CERT_PHASES) throw new ValidationError('bad-cert', `certificate has ${n} phases, want ${CERT_PHASES}`);
  const phases = new Float64Array(n);
  for (let i = 0; i < n; i++) phases[i] = dv.getFloat32(16 + 4 * i, true);
  const cert = { r: dv.getFloat32(0, true), psi: dv.getFloat32(4, true), rounds: dv.getUint32(8, true), phases };
  if (!Number.isFinite(cert.r) || !Number.isFinite(cert.psi) || !phases.every(Number.isFinite)) {
    throw new ValidationError('bad-cert', 'certificate holds a non-finite number');
  }
  return cert;
}

/**
 * The header's certHash: sha256d(certificate bytes || minerAddress). Committing the miner address
 * here keeps a relaying peer from rewriting who is paid (the header otherwise does not cover it).
 */
export function certHash(core: Pick<Core, 'sha256d'>, certBytes: Uint8Array, minerAddress: Uint8Array): Uint8Array {
  // the usual sizes go through one reused buffer (sha256d copies its input): no allocation per block checked
  if (certBytes.length !== CERT_SIZE || minerAddress.length !== 20) return core.sha256d(concatBytes([certBytes, minerAddress]));
  certScratch.set(certBytes, 0);
  certScratch.set(minerAddress, CERT_SIZE);
  return core.sha256d(certScratch);
}
const certScratch = new Uint8Array(CERT_SIZE + 20);

/**
 * A certificate from CERT_PHASES phases: phases rounded to float32 first, so the r recorded is the
 * r every validator recomputes from the bytes.
 */
export function makeCertificate(core: Pick<Core, 'orderParameter'>, phases: Float64Array, rounds: number): Certificate {
  if (phases.length !== CERT_PHASES) throw new ValidationError('bad-cert', `certificate needs ${CERT_PHASES} phases`);
  const p = phases.map((x) => Math.fround(x));
  const { r, psi } = core.orderParameter(p);
  return { r: Math.fround(r), psi: Math.fround(psi), rounds, phases: p };
}

/** The codes of the certificate rules (decoding aside). */
export type CertRuleCode = 'cert-rounds' | 'cert-below-zc' | 'cert-r-mismatch';

/** The recomputed r and every certificate rule the certificate breaks, in checkCertificate's order. */
export function certificateFailures(core: Pick<Core, 'orderParameter'>, cert: Certificate): { r: number; failures: { code: CertRuleCode; message: string }[] } {
  const failures: { code: CertRuleCode; message: string }[] = [];
  const broken = (code: CertRuleCode, message: string): void => void failures.push({ code, message });
  if (cert.rounds < MIN_COHERENCE_ROUNDS) {
    broken('cert-rounds', `${cert.rounds} coherent rounds, need ${MIN_COHERENCE_ROUNDS}`);
  }
  const { r } = core.orderParameter(cert.phases);
  if (!(r >= Z_C)) broken('cert-below-zc', `recomputed r ${r.toFixed(6)} below Z_C`);
  if (!(Math.abs(r - cert.r) <= CERT_R_TOLERANCE)) {
    broken('cert-r-mismatch', `claimed r ${cert.r}, recomputed ${r}`);
  }
  return { r, failures };
}

/** Certificate rules: enough rounds, recomputed r ≥ Z_C, claimed r within tolerance (throws the first broken). */
export function checkCertificate(core: Pick<Core, 'orderParameter'>, cert: Certificate): void {
  const first = certificateFailures(core, cert).failures[0];
  if (first) throw new ValidationError(first.code, first.message);
}
