// CorePool: the WASM core in worker threads (core/threads.ts, a group it may share with other work)
// for work large enough to pay for the hop. Small calls run inline on the calling thread (crossovers
// below, measured by bench/core.bench.ts).
import { HEADER_SIZE } from '../constants.js';
import { InputError } from '../errors.js';
import { checkBatch, checkGrind, checkKuramoto } from './errors.js';
import {
  GRIND_FLAG,
  GRIND_HEADER,
  GRIND_SHARED_BYTES,
  GRIND_TARGET,
  type GrindBackend,
  type GrindPart,
  type WorkerTask,
} from './pool-protocol.js';
import { loadNativeAddon } from './native.js';
import { untilDone, WorkerThreads } from './threads.js';
import type { Backend, Core, OrderParameter } from './types.js';
import { loadWasmCore } from './wasm.js';

/**
 * sha256dBatch items (104-byte) below which one inline WASM call beats the pool: a pool call costs a
 * task round trip per worker plus the copy into each worker's linear memory. Measured (bench
 * "crossover sha256dBatch", quiet 2-core machine, input in shared memory): pool/inline 0.74 at 512,
 * 1.00 at 1024, 1.31 at 2048, 1.59 at 8192, 1.68 at 32768 — the pool starts paying at 2048.
 */
export const POOL_MIN_BATCH_ITEMS = 2048;
/**
 * Kuramoto oscillator-steps below which integration stays inline. One integration cannot be
 * split, so the pool only frees the calling thread; measured pool/inline: 0.40 at 4096, 0.80 at
 * 65536, 1.25 at 131072, 1.76 at 262144 oscillator-steps (N = 4096). Above 2^17 (~3 ms inline)
 * the hop is both cheaper than the event-loop stall and, on a loaded box, no slower.
 */
export const POOL_MIN_KURAMOTO_WORK = 1 << 17;
/**
 * Nonces per chunk a worker claims (and between its checks of the stop flag): ~3 ms of work on
 * either backend (WASM ~5 MH/s, native ~17 MH/s per thread), so the stop latency stays a few ms and
 * the claim (one Atomics.add) is noise.
 */
export const GRIND_CHUNK = 1 << 14;
export const GRIND_CHUNK_NATIVE = 1 << 16;
/** Nonce ranges up to this size are ground inline (faster than waking the workers). */
export const GRIND_INLINE_MAX = 1 << 12;

export interface CorePoolOptions {
  /**
   * Worker threads: a count for threads of its own (default: available parallelism), or a group shared
   * with other work (the node's, with its signature checks), which the pool starts but does not close.
   */
  threads?: number | WorkerThreads;
  /** Use the SIMD build (default true). */
  simd?: boolean;
  /** Override the inline/pool crossovers (benchmarks set 0 to always use the workers). */
  minBatchItems?: number;
  minKuramotoWork?: number;
  /**
   * Backend the workers grind nonces with: 'auto' (default) takes the native addon where it is built
   * and loads (BLOOMCOIN_NO_NATIVE=1 disables it), WASM otherwise; 'wasm' forces WASM. Batch hashing
   * and Kuramoto stay on each worker's WASM core (bit-identical to the inline core).
   */
  grind?: 'auto' | GrindBackend;
}

/** A grind's answer with what it cost: the lowest hit in the range (null: none), hashes computed. */
export interface GrindResult {
  nonce: number | null;
  /** Hashes the workers really computed (ranges claimed but not ground are not counted). */
  hashes: number;
  backend: Backend;
}

export interface GrindOptions {
  signal?: AbortSignal;
  /** First nonce (default 0). */
  start?: number;
  /** Nonces to try (default: the rest of the u32 space). */
  count?: number;
}

/** Resolves the worker script: dist/core/worker.js, also when this module runs from src/ (vitest). */
export function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/core/worker.js', here) : new URL('./worker.js', here);
}

/** The grinding backend for 'auto'/'native': native when the addon loads here, with the reason when not. */
function pickGrindBackend(want: 'auto' | GrindBackend): { backend: GrindBackend; reason?: string } {
  if (want === 'wasm') return { backend: 'wasm' };
  try {
    loadNativeAddon();
    return { backend: 'native' };
  } catch (err) {
    return { backend: 'wasm', reason: (err as Error).message };
  }
}

/** Items per claim: about 16 claims per worker (a late or descheduled worker costs little), 64 … 4096. */
export const batchChunk = (n: number, threads: number): number => Math.min(4096, Math.max(64, Math.ceil(n / (16 * threads))));

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const copyToShared = (data: Uint8Array): SharedArrayBuffer => {
  const sab = new SharedArrayBuffer(data.length);
  new Uint8Array(sab).set(data);
  return sab;
};

export class CorePool {
  private closed = false;
  /** Tasks queue in one piscina queue: a range handed over behind another starts when workers free up. */
  readonly queuesRanges = true;

  private constructor(
    private readonly group: WorkerThreads,
    private readonly ownsGroup: boolean,
    private readonly simd: boolean,
    /** The core used for small inline calls. */
    readonly inline: Core,
    /** Threads its work is spread over (the group's budget). */
    readonly threads: number,
    private readonly minBatchItems: number,
    private readonly minKuramotoWork: number,
    private planned: GrindBackend,
    /** Why the workers grind on WASM although native was asked for ('auto' or 'native'). */
    readonly grindFallbackReason?: string,
  ) {}

  /** The backend the workers grind with (as the last grind reported it). */
  get grindBackend(): Backend {
    return this.planned;
  }

  static async create(opts: CorePoolOptions = {}): Promise<CorePool> {
    const inline = await loadWasmCore({ simd: opts.simd });
    const pick = pickGrindBackend(opts.grind ?? 'auto');
    const shared = opts.threads instanceof WorkerThreads;
    const group = opts.threads instanceof WorkerThreads ? opts.threads : new WorkerThreads({ threads: opts.threads });
    group.start();
    return new CorePool(
      group,
      !shared,
      opts.simd ?? true,
      inline,
      group.budget,
      opts.minBatchItems ?? POOL_MIN_BATCH_ITEMS,
      opts.minKuramotoWork ?? POOL_MIN_KURAMOTO_WORK,
      pick.backend,
      pick.reason,
    );
  }

  private run<R extends number | OrderParameter | GrindPart>(task: DistributiveOmit<WorkerTask, 'simd'>, resume = false): Promise<R> {
    if (this.closed) return Promise.reject(new InputError('closed', 'CorePool is closed'));
    return this.group.run<R>(workerUrl().href, { ...task, simd: this.simd }, { resume });
  }

  /** One grind part, run again on the same shared cursor each time it yields its thread; hashes summed. */
  private async grindPart(task: Extract<DistributiveOmit<WorkerTask, 'simd'>, { op: 'grind' }>): Promise<GrindPart> {
    let hashes = 0;
    for (let resume = false; ; resume = true) {
      const part = await this.run<GrindPart>(task, resume);
      hashes += part.hashes;
      if (!part.yielded) return { ...part, hashes };
    }
  }

  /**
   * sha256d of each itemSize-byte item; large batches are shared by all workers, which claim chunks
   * of BATCH_CHUNK_ITEMS from a shared cursor. Input in a SharedArrayBuffer (any offset) is read in
   * place by the workers; other input is copied into shared memory once.
   */
  async sha256dBatch(data: Uint8Array, itemSize: number): Promise<Uint8Array> {
    const n = checkBatch(data, itemSize);
    if (n < this.minBatchItems) return this.inline.sha256dBatch(data, itemSize);
    const inPlace = data.buffer instanceof SharedArrayBuffer;
    const input = inPlace ? (data.buffer as SharedArrayBuffer) : copyToShared(data);
    const output = new SharedArrayBuffer(32 * n);
    const cursor = new SharedArrayBuffer(8);
    const chunk = batchChunk(n, this.threads);
    const tasks = Math.min(this.threads, Math.ceil(n / chunk));
    const base = { op: 'batch', input, inputOffset: inPlace ? data.byteOffset : 0, itemSize, count: n, chunk, cursor, output } as const;
    const parts: Promise<number>[] = [];
    for (let t = 0; t < tasks; t++) parts.push(this.run(base));
    await untilDone(parts, new Int32Array(cursor, 4, 1), n);
    // a view on the workers' shared output: no copy back (callers see an ordinary Uint8Array)
    return new Uint8Array(output);
  }

  /** Core.kuramotoIntegrate off the calling thread for large N × steps; phases updated in place. */
  async kuramotoIntegrate(
    phases: Float64Array,
    omegas: Float64Array,
    coupling: number,
    dt: number,
    steps: number,
  ): Promise<OrderParameter> {
    checkKuramoto(phases, omegas, coupling, dt, steps);
    const n = phases.length;
    if (n * steps < this.minKuramotoWork) return this.inline.kuramotoIntegrate(phases, omegas, coupling, dt, steps);
    const buf = new SharedArrayBuffer(16 * n);
    const shared = new Float64Array(buf);
    shared.set(phases);
    shared.set(omegas, n);
    const res = await this.run<OrderParameter>({ op: 'kuramoto', buf, n, coupling, dt, steps });
    phases.set(shared.subarray(0, n));
    return res;
  }

  /**
   * Searches nonces start … start+count−1 and resolves with the lowest nonce whose hash is ≤ target,
   * or null when none is or the signal aborted first. Either way every worker has stopped when the
   * promise settles.
   */
  async grind(header: Uint8Array, target: Uint8Array, opts: GrindOptions = {}): Promise<number | null> {
    return (await this.search(header, target, opts)).nonce;
  }

  /**
   * grind() with its cost: every worker claims chunks of the range from a shared cursor (none idles
   * while another still has a slice), and counts the hashes it really computed.
   */
  async search(header: Uint8Array, target: Uint8Array, opts: GrindOptions = {}): Promise<GrindResult> {
    const start = opts.start ?? 0;
    const count = opts.count ?? 2 ** 32 - start;
    checkGrind(header, target, start, count);
    if (opts.signal?.aborted) return { nonce: null, hashes: 0, backend: this.planned };
    if (count <= GRIND_INLINE_MAX) {
      const found = this.inline.grindNonces(header, target, start, count);
      return { nonce: found >= 0 ? found : null, hashes: found >= 0 ? found - start + 1 : count, backend: this.inline.backend };
    }
    const shared = new SharedArrayBuffer(GRIND_SHARED_BYTES);
    const flag = new Int32Array(shared, 0, 4);
    new Uint8Array(shared, GRIND_HEADER, HEADER_SIZE).set(header);
    new Uint8Array(shared, GRIND_TARGET, 32).set(target);
    const stop = (): void => {
      Atomics.store(flag, GRIND_FLAG, 1);
    };
    opts.signal?.addEventListener('abort', stop, { once: true });
    try {
      const chunk = this.planned === 'native' ? GRIND_CHUNK_NATIVE : GRIND_CHUNK;
      const tasks = Math.min(this.threads, Math.ceil(count / chunk));
      const parts: Promise<GrindPart>[] = [];
      const task = { op: 'grind', shared, start, count, chunk, backend: this.planned } as const;
      for (let t = 0; t < tasks; t++) parts.push(this.grindPart(task));
      const results = await Promise.allSettled(parts);
      stop();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      let nonce = -1;
      let hashes = 0;
      for (const r of results) {
        const part = (r as PromiseFulfilledResult<GrindPart>).value;
        hashes += part.hashes;
        if (part.nonce >= 0 && (nonce < 0 || part.nonce < nonce)) nonce = part.nonce;
        if (part.backend !== 'js') this.planned = part.backend; // a worker whose addon failed ground on WASM
      }
      return { nonce: nonce >= 0 ? nonce : null, hashes, backend: this.planned };
    } finally {
      opts.signal?.removeEventListener('abort', stop);
    }
  }

  /** Share of worker time spent on tasks since start, in [0, 1] (piscina's measure, the whole group's). */
  get utilization(): number {
    return this.group.utilization;
  }

  /** Tasks waiting for a free worker (the whole group's). */
  get queueSize(): number {
    return this.group.queueSize;
  }

  /** Refuses further calls; ends the threads unless they are a shared group's (its owner closes it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsGroup) await this.group.close();
  }
}
