// Piscina worker for tx signature checks: node:crypto ed25519 on a slice of a batch in shared memory.
import { TX_SIZE } from '../constants.js';
import { SIG_INVALID, SIG_VALID, type SigTask } from './sigcheck-protocol.js';
import { verifyTxSignature } from './tx.js';

export default function run(t: SigTask): number {
  const input = new Uint8Array(t.input);
  const output = new Uint8Array(t.output);
  const minBad = new Int32Array(t.stop);
  let done = 0;
  for (let i = t.from; i < t.to; i++) {
    if (t.failFast && i > Atomics.load(minBad, 0)) break;
    const ok = verifyTxSignature(input.subarray(i * TX_SIZE, (i + 1) * TX_SIZE), t.magic);
    output[i] = ok ? SIG_VALID : SIG_INVALID;
    done++;
    if (!ok && t.failFast) {
      // atomic min: a lower slice may have found an earlier one already
      for (let cur = Atomics.load(minBad, 0); i < cur; cur = Atomics.load(minBad, 0)) {
        if (Atomics.compareExchange(minBad, 0, cur, i) === cur) break;
      }
      break;
    }
  }
  return done;
}
