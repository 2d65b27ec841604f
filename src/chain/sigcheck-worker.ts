// Piscina worker for tx signature checks: node:crypto ed25519 on chunks of a batch in shared memory.
import { TX_SIZE } from '../constants.js';
import { countDone } from '../core/threads.js';
import { SIG_INVALID, SIG_VALID, type SigTask } from './sigcheck-protocol.js';
import { verifyTxSignature } from './tx.js';

export default function run(t: SigTask): number {
  const input = new Uint8Array(t.input);
  const output = new Uint8Array(t.output);
  const minBad = new Int32Array(t.stop);
  const cursor = new Int32Array(t.cursor, 0, 1);
  const finished = new Int32Array(t.cursor, 4, 1);
  let checked = 0;
  for (;;) {
    const from = Atomics.add(cursor, 0, 1) * t.chunk;
    if (from >= t.count || (t.failFast && from > Atomics.load(minBad, 0))) return checked;
    const to = Math.min(t.count, from + t.chunk);
    for (let i = from; i < to; i++) {
      if (t.failFast && i > Atomics.load(minBad, 0)) return checked;
      const ok = verifyTxSignature(input.subarray(i * TX_SIZE, (i + 1) * TX_SIZE), t.magic);
      output[i] = ok ? SIG_VALID : SIG_INVALID;
      checked++;
      if (!ok && t.failFast) {
        // atomic min: a lower chunk may have found an earlier one already
        for (let cur = Atomics.load(minBad, 0); i < cur; cur = Atomics.load(minBad, 0)) {
          if (Atomics.compareExchange(minBad, 0, cur, i) === cur) break;
        }
        return checked;
      }
    }
    countDone(finished, to - from, t.count);
  }
}
