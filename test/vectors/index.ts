// Test vectors shared by the core suites (JSON beside this file, so other tools can read them too).
import { readFileSync } from 'node:fs';

interface Sha256Vectors {
  sha256: { ascii: string; repeat?: number; digest: string }[];
  /** Bitcoin's genesis header; sha256d in raw byte order, and as Bitcoin displays it (reversed). */
  genesis: { header: string; sha256d: string; display: string };
}

export const SHA256_VECTORS = JSON.parse(readFileSync(new URL('./sha256.json', import.meta.url), 'utf8')) as Sha256Vectors;
