// Transaction signature checks of a block spread over worker threads (as Bitcoin Core's script-check
// threads, CCheckQueue): ed25519 verify is the cost of a full block, and each one is independent.
// Small batches run inline: a pool call costs a task round trip per worker (crossover: SIG_POOL_MIN_TXS).
// The threads are a core/threads.ts group, its own or one shared with the node's CorePool (one budget).
import { availableParallelism } from 'node:os';
import { TX_SIZE } from '../constants.js';
import { untilDone, WorkerThreads } from '../core/threads.js';
import { InputError } from '../errors.js';
import { SIG_INVALID, SIG_VALID, type SigTask } from './sigcheck-protocol.js';
import { verifyTxSignature } from './tx.js';

/**
 * Txs below which a batch is verified inline: one verify is ~50–150 µs and a piscina round trip
 * ~50–100 µs per worker, so the pool pays from a handful of txs per worker (bench/chain.bench.ts).
 */
export const SIG_POOL_MIN_TXS = 8;

/** What block validation needs: one block's first failure (addBlock), or every flag of a run (addBlocks). */
export interface TxSignatureChecker {
  /** The lowest index whose signature fails, −1 when all verify. */
  firstBadSignature(txs: readonly Uint8Array[], magic: number): Promise<number>;
  /** Verifies every signature (true = valid; a tx that is not TX_SIZE bytes is false). */
  verifyTxSignatures(txs: readonly Uint8Array[], magic: number): Promise<boolean[]>;
}

export interface SigChecker extends TxSignatureChecker {
  /** Worker threads (0: everything inline). */
  readonly workers: number;
  close(): Promise<void>;
}

export interface SigCheckerOptions {
  /** Worker threads; 0 verifies inline on the calling thread. Default: available parallelism. */
  workers?: number;
  /**
   * A thread group shared with other work (the node's, with its CorePool) instead of threads of its own:
   * `workers` is then its budget, and close() leaves the group to its owner. Its tasks are urgent there.
   */
  threads?: WorkerThreads;
  /** Batches below this many txs are verified inline (benchmarks and tests set 0: always the pool). */
  minPoolTxs?: number;
}

/** The worker script, dist/chain/sigcheck-worker.js, also when this module runs from src/ (vitest). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/chain/sigcheck-worker.js', here) : new URL('./sigcheck-worker.js', here);
}

/** Inline: every result, or up to and including the first failure with `failFast`. */
function inline(txs: readonly Uint8Array[], magic: number, failFast: boolean): Uint8Array {
  const out = new Uint8Array(txs.length);
  for (let i = 0; i < txs.length; i++) {
    const ok = verifyTxSignature(txs[i]!, magic);
    out[i] = ok ? SIG_VALID : SIG_INVALID;
    if (!ok && failFast) break;
  }
  return out;
}

const firstBad = (r: Uint8Array): number => r.indexOf(SIG_INVALID);

/** Txs per claim: about 4 claims per worker (a verify is ~50–250 µs, a claim one atomic add). */
export const sigChunk = (n: number, workers: number): number => Math.max(1, Math.ceil(n / (4 * workers)));

class PooledSigChecker implements SigChecker {
  private closed = false;
  /** Started with the first batch that needs it (a node that never sees a big block starts no thread). */
  private group: WorkerThreads | undefined;

  constructor(
    readonly workers: number,
    private readonly minPoolTxs: number,
    private readonly shared: WorkerThreads | undefined,
  ) {
    this.group = shared;
  }

  private threads(): WorkerThreads {
    this.group ??= new WorkerThreads({ threads: this.workers });
    return this.group;
  }

  async verifyTxSignatures(txs: readonly Uint8Array[], magic: number): Promise<boolean[]> {
    const r = await this.check(txs, magic, false);
    return Array.from(r, (v) => v === SIG_VALID);
  }

  async firstBadSignature(txs: readonly Uint8Array[], magic: number): Promise<number> {
    return firstBad(await this.check(txs, magic, true));
  }

  private async check(txs: readonly Uint8Array[], magic: number, failFast: boolean): Promise<Uint8Array> {
    if (this.closed) throw new InputError('closed', 'signature checker is closed');
    const n = txs.length;
    if (this.workers === 0 || n < Math.max(1, this.minPoolTxs)) return inline(txs, magic, failFast);
    const pool = this.threads();
    // one copy into shared memory; a tx of the wrong size is invalid without a worker
    const input = new SharedArrayBuffer(n * TX_SIZE);
    const bytes = new Uint8Array(input);
    const output = new SharedArrayBuffer(n);
    const out = new Uint8Array(output);
    const stop = new SharedArrayBuffer(4);
    const minBad = new Int32Array(stop);
    minBad[0] = n;
    for (let i = 0; i < n; i++) {
      const t = txs[i]!;
      if (t.length === TX_SIZE) bytes.set(t, i * TX_SIZE);
      else if (minBad[0] === n) minBad[0] = i; // invalid whatever its worker says of the zeros there (set below)
    }
    // workers claim chunks from the cursor (Int32 [0]) and count what they finished ([1]): a worker the
    // scheduler starts late takes fewer chunks, and the batch does not wait for it to start
    const cursor = new SharedArrayBuffer(8);
    const chunk = sigChunk(n, this.workers);
    const task: SigTask = { input, output, stop, cursor, chunk, count: n, magic, failFast };
    const tasks: Promise<number>[] = [];
    // urgent: a block waits on it, so it goes before queued grinding (core/threads.ts)
    for (let t = Math.min(this.workers, Math.ceil(n / chunk)); t > 0; t--) tasks.push(pool.run<number>(workerUrl().href, task, { urgent: true }));
    await untilDone(tasks, new Int32Array(cursor, 4, 1), n);
    for (let i = 0; i < n; i++) if (txs[i]!.length !== TX_SIZE) out[i] = SIG_INVALID;
    return new Uint8Array(out);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.group !== this.shared) await this.group?.close();
  }
}

/**
 * A checker with its own worker threads (none for `workers: 0`), started on first use, which close()
 * ends; or over a shared group (`threads`), whose budget it uses.
 */
export function createSigChecker(opts: SigCheckerOptions = {}): SigChecker {
  const workers = opts.threads ? opts.threads.budget : Math.max(0, Math.floor(opts.workers ?? availableParallelism()));
  return new PooledSigChecker(workers, opts.minPoolTxs ?? SIG_POOL_MIN_TXS, opts.threads);
}
