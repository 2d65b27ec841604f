// One group of worker threads for every kind of off-thread work (the core's kernels in worker.ts, a
// block's signature checks in chain/sigcheck-worker.ts): however many kinds a node uses, it runs at
// most `budget` threads (docs/design.md, Threads). Each task names its worker script (piscina loads
// it in a thread on first use). Urgent tasks (signature checks: a block waits on them) go before
// queued bulk work, and a grind part in a worker hands its thread over between chunks while one waits.
import { availableParallelism } from 'node:os';
import { Piscina, queueOptionsSymbol, type TaskQueue } from 'piscina';
import { InputError } from '../errors.js';

/** What every worker of the group gets as workerData: Int32 [0] = urgent tasks waiting for a thread. */
export interface ThreadsWorkerData {
  urgent: SharedArrayBuffer;
}

export interface WorkerThreadsOptions {
  /** Threads at most (default: available parallelism). */
  threads?: number;
}

export interface TaskOptions {
  /** Goes before queued bulk tasks; running grind parts yield their thread to it. */
  urgent?: boolean;
  /** A grind part that yielded, continued first among the bulk tasks (before ranges queued after it). */
  resume?: boolean;
}

type Lane = 'urgent' | 'resume' | 'bulk';
type Queued = Parameters<TaskQueue['push']>[0];
const laneOf = (task: Queued): Lane => (task[queueOptionsSymbol] as { lane?: Lane } | null)?.lane ?? 'bulk';

/** Piscina's task queue with the urgent lane first; the urgent count is published to the workers. */
class LaneQueue implements TaskQueue {
  private readonly urgentTasks: Queued[] = [];
  private readonly bulkTasks: Queued[] = [];
  constructor(private readonly waiting: Int32Array) {}

  get size(): number {
    return this.urgentTasks.length + this.bulkTasks.length;
  }

  push(task: Queued): void {
    const lane = laneOf(task);
    if (lane === 'urgent') {
      this.urgentTasks.push(task);
      Atomics.store(this.waiting, 0, this.urgentTasks.length);
    } else if (lane === 'resume') this.bulkTasks.unshift(task);
    else this.bulkTasks.push(task);
  }

  shift(): Queued | null {
    const u = this.urgentTasks.shift();
    if (u !== undefined) {
      Atomics.store(this.waiting, 0, this.urgentTasks.length);
      return u;
    }
    return this.bulkTasks.shift() ?? null;
  }

  remove(task: Queued): void {
    for (const q of [this.urgentTasks, this.bulkTasks]) {
      const i = q.indexOf(task);
      if (i >= 0) q.splice(i, 1);
    }
    Atomics.store(this.waiting, 0, this.urgentTasks.length);
  }
}

/**
 * Settles when the workers' shared count of finished items (Int32 `done[0]`) reaches `total`, or when
 * every part has returned (a part may stop early), whichever comes first; rejects if a part fails first.
 * A part the scheduler starts late, after the others claimed and finished everything, is not waited
 * for: it finds the cursor past the end and returns at once.
 */
export async function untilDone(parts: readonly Promise<unknown>[], done: Int32Array, total: number): Promise<void> {
  const all = Promise.all(parts).then(() => true);
  all.catch(() => undefined); // a part failing after we returned is the late part's own affair
  try {
    for (;;) {
      const seen = Atomics.load(done, 0);
      if (seen >= total) return;
      const w = Atomics.waitAsync(done, 0, seen);
      if (w.async && (await Promise.race([w.value.then(() => false), all]))) return;
    }
  } finally {
    Atomics.notify(done, 0); // wakes our own waiter if the parts won: no waiter left on the buffer
  }
}

/** Adds `k` finished items to `done[0]`, waking the caller's untilDone once `total` is reached. */
export function countDone(done: Int32Array, k: number, total: number): void {
  if (Atomics.add(done, 0, k) + k >= total) Atomics.notify(done, 0);
}

export class WorkerThreads {
  /** Threads the group may run at most. */
  readonly budget: number;
  private pool: Piscina | undefined;
  private closed = false;
  private created = 0;
  private readonly urgent = new SharedArrayBuffer(4);

  constructor(opts: WorkerThreadsOptions = {}) {
    this.budget = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  }

  /** Starts the threads now (otherwise the first task does). */
  start(): void {
    if (this.closed) throw new InputError('closed', 'worker threads are closed');
    if (this.pool) return;
    // minThreads = maxThreads: with fewer, piscina runs concurrent tasks on the threads it has
    this.pool = new Piscina({
      filename: null,
      minThreads: this.budget,
      maxThreads: this.budget,
      idleTimeout: 60_000,
      taskQueue: new LaneQueue(new Int32Array(this.urgent)),
      workerData: { urgent: this.urgent } satisfies ThreadsWorkerData,
    });
    this.pool.on('workerCreate', () => void this.created++);
  }

  /** Runs `task` in a thread with the default export of the worker script at `filename`. */
  run<R>(filename: string, task: object, opts: TaskOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new InputError('closed', 'worker threads are closed'));
    this.start();
    const lane: Lane = opts.urgent ? 'urgent' : opts.resume ? 'resume' : 'bulk';
    // the symbol is read by the queue and not cloned to the worker
    return this.pool!.run({ ...task, [queueOptionsSymbol]: { lane } }, { filename }) as Promise<R>;
  }

  /** Threads running now (0 before the first task). */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Threads ever started (a thread that died and was replaced counts twice). */
  get threadsStarted(): number {
    return this.created;
  }

  /** Tasks the threads have finished. */
  get completed(): number {
    return this.pool?.completed ?? 0;
  }

  /** Share of thread time spent on tasks since start, in [0, 1] (piscina's measure). */
  get utilization(): number {
    return this.pool?.utilization ?? 0;
  }

  /** Tasks waiting for a free thread. */
  get queueSize(): number {
    return this.pool?.queueSize ?? 0;
  }

  /** Ends the threads; further tasks reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool?.destroy();
  }
}
