// Messages between CorePool and its workers (kept apart from worker.ts, which loads a core on import).
import type { Backend } from './types.js';

/** Every task says which WASM build the worker's core is (the group's threads serve any CorePool). */
export type WorkerTask = { simd: boolean } & (
  | {
      op: 'batch';
      /** The caller's shared input, read in place from inputOffset (no copy per task). */
      input: SharedArrayBuffer;
      inputOffset: number;
      itemSize: number;
      count: number;
      /** Items per claim; workers claim chunks from the Int32 cursor at index 0 of `cursor` and count the items they finished at index 1. */
      chunk: number;
      cursor: SharedArrayBuffer;
      output: SharedArrayBuffer;
    }
  | { op: 'kuramoto'; buf: SharedArrayBuffer; n: number; coupling: number; dt: number; steps: number }
  | { op: 'grind'; shared: SharedArrayBuffer; start: number; count: number; chunk: number; backend: GrindBackend }
);

/** What a worker answers to a grind task: its lowest find (−1: none) and the hashes it computed. */
export interface GrindPart {
  nonce: number;
  hashes: number;
  /** The backend that ground (a worker asked for 'native' falls back to 'wasm' if the addon fails). */
  backend: Backend;
  /**
   * The part handed its thread to an urgent task between two chunks (core/threads.ts) before the range
   * was done: the pool runs it again on the same shared cursor. Never with a find.
   */
  yielded: boolean;
}

/** The backends a pool worker may grind with. */
export type GrindBackend = 'native' | 'wasm';

/**
 * Layout of a grind task's SharedArrayBuffer: stop flag, the next unclaimed chunk, header, target.
 * Workers claim chunks in increasing order with Atomics.add, so none waits for another between
 * ranges, and every chunk below a find is ground whole: the lowest find is the range's lowest hit.
 */
export const GRIND_FLAG = 0; // Int32 index: 0 = running, 1 = stop (found or aborted)
export const GRIND_CURSOR = 1; // Int32 index: next chunk number (nonce = start + chunk × chunkSize)
export const GRIND_HEADER = 16;
export const GRIND_TARGET = 144;
export const GRIND_SHARED_BYTES = 176;
