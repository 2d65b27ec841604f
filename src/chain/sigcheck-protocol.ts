// Messages between the signature checker and its workers (kept apart from the worker, which piscina loads).

/**
 * One slice of a batch: txs `from` … `to`−1, TX_SIZE bytes each in `input`. The worker writes
 * `output[i]` = 1 (valid) or 2 (invalid), 0 where it stopped early. With `failFast`, `minBad` (Int32 at
 * index 0 of `stop`) holds the lowest invalid index found so far: a worker stops once it is past it, so
 * the lowest invalid tx of the batch is still always found.
 */
export interface SigTask {
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
  stop: SharedArrayBuffer;
  from: number;
  to: number;
  magic: number;
  failFast: boolean;
}

export const SIG_VALID = 1;
export const SIG_INVALID = 2;
