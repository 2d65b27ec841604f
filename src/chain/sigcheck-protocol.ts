// Messages between the signature checker and its workers (kept apart from the worker, which piscina loads).

/**
 * A batch of `count` txs, TX_SIZE bytes each in `input`, shared by every task: each claims chunks of
 * `chunk` txs in increasing order from the Int32 cursor at index 0 of `cursor` and adds the txs it
 * finished to index 1. The worker writes `output[i]` = 1 (valid) or 2 (invalid), 0 where it stopped
 * early. With `failFast`, `minBad` (Int32 at index 0 of `stop`) holds the lowest invalid index found so
 * far: a worker stops once it is past it; every chunk below it was claimed and is checked whole, so the
 * lowest invalid tx of the batch is still always found.
 */
export interface SigTask {
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
  stop: SharedArrayBuffer;
  cursor: SharedArrayBuffer;
  chunk: number;
  count: number;
  magic: number;
  failFast: boolean;
}

export const SIG_VALID = 1;
export const SIG_INVALID = 2;
