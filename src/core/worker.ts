// Piscina worker of the core (run in core/threads.ts's group): a WASM core per build plus the grinding
// core, native when the task asks for it and the addon loads here; all buffers arrive as
// SharedArrayBuffers (no cloning).
import { workerData } from 'piscina';
import { HEADER_SIZE } from '../constants.js';
import {
  GRIND_CURSOR,
  GRIND_FLAG,
  GRIND_HEADER,
  GRIND_TARGET,
  type GrindBackend,
  type GrindPart,
  type WorkerTask,
} from './pool-protocol.js';
import { countDone, type ThreadsWorkerData } from './threads.js';
import type { Core } from './types.js';
import { loadWasmCore } from './wasm.js';

/** Urgent tasks waiting for a thread (Int32 [0]): a grind part stops between chunks while one does. */
const urgent = new Int32Array((workerData as ThreadsWorkerData).urgent);

const wasmCores = new Map<boolean, Promise<Core>>();
const wasmCore = (simd: boolean): Promise<Core> => {
  let c = wasmCores.get(simd);
  if (!c) wasmCores.set(simd, (c = loadWasmCore({ simd })));
  return c;
};

void wasmCore(true); // the default build, compiled while the thread waits for its first task

let nativeCore: Promise<Core | null> | undefined;
async function grindCore(backend: GrindBackend, simd: boolean): Promise<Core> {
  if (backend === 'native') {
    nativeCore ??= import('./native.js').then((m) => m.loadNativeCore()).catch(() => null);
    const native = await nativeCore;
    if (native) return native; // else the pool reports the backend each part really used
  }
  return wasmCore(simd);
}

export default async function run(task: WorkerTask): Promise<number | { r: number; psi: number } | GrindPart> {
  switch (task.op) {
    case 'batch':
      return batch(await wasmCore(task.simd), task);
    case 'kuramoto': {
      const phases = new Float64Array(task.buf, 0, task.n);
      const omegas = new Float64Array(task.buf, 8 * task.n, task.n);
      return (await wasmCore(task.simd)).kuramotoIntegrate(phases, omegas, task.coupling, task.dt, task.steps);
    }
    case 'grind':
      return grind(await grindCore(task.backend, task.simd), task);
  }
}

/**
 * Claims chunks of items from the shared cursor until none is left and hashes each from the caller's
 * shared input straight into the shared output: a worker the scheduler delays takes fewer chunks
 * instead of holding the whole batch up (as a fixed half would). Returns the items it hashed.
 */
function batch(core: Core, task: Extract<WorkerTask, { op: 'batch' }>): number {
  const cursor = new Int32Array(task.cursor, 0, 1);
  const done = new Int32Array(task.cursor, 4, 1);
  const { itemSize, count, chunk } = task;
  let hashed = 0;
  for (;;) {
    const from = Atomics.add(cursor, 0, 1) * chunk;
    if (from >= count) return hashed;
    const k = Math.min(chunk, count - from);
    const data = new Uint8Array(task.input, task.inputOffset + from * itemSize, k * itemSize);
    new Uint8Array(task.output, 32 * from, 32 * k).set(core.sha256dBatch(data, itemSize));
    countDone(done, k, count);
    hashed += k;
  }
}

/**
 * Claims chunks until the range is done or the flag is raised; each claimed chunk is ground whole.
 * Between chunks it yields to an urgent task waiting for a thread (the pool runs it again after).
 */
function grind(grinder: Core, task: Extract<WorkerTask, { op: 'grind' }>): GrindPart {
  const ints = new Int32Array(task.shared, 0, 4);
  const header = new Uint8Array(task.shared, GRIND_HEADER, HEADER_SIZE).slice();
  const target = new Uint8Array(task.shared, GRIND_TARGET, 32).slice();
  const end = task.start + task.count;
  let hashes = 0;
  while (Atomics.load(ints, GRIND_FLAG) === 0) {
    if (hashes > 0 && Atomics.load(urgent, 0) > 0) return { nonce: -1, hashes, backend: grinder.backend, yielded: true };
    const s = task.start + Atomics.add(ints, GRIND_CURSOR, 1) * task.chunk;
    if (s >= end) break;
    const k = Math.min(task.chunk, end - s);
    const found = grinder.grindNonces(header, target, s, k);
    if (found >= 0) {
      Atomics.store(ints, GRIND_FLAG, 1);
      return { nonce: found, hashes: hashes + found - s + 1, backend: grinder.backend, yielded: false };
    }
    hashes += k;
  }
  return { nonce: -1, hashes, backend: grinder.backend, yielded: false };
}
