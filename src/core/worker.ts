// Piscina worker: one WASM core per thread (batch, Kuramoto) plus the grinding core, native when the
// pool asks for it and the addon loads here; all buffers arrive as SharedArrayBuffers (no cloning).
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
import type { Core } from './types.js';
import { loadWasmCore } from './wasm.js';

const data = (workerData ?? {}) as { simd?: boolean; grind?: GrindBackend };
const core = await loadWasmCore({ simd: data.simd });

async function grindCore(): Promise<Core> {
  if (data.grind !== 'native') return core;
  try {
    const { loadNativeCore } = await import('./native.js');
    return await loadNativeCore();
  } catch {
    return core; // the pool reports the backend each part really used
  }
}
const grinder = await grindCore();

export default function run(task: WorkerTask): number | { r: number; psi: number } | GrindPart {
  switch (task.op) {
    case 'batch':
      return batch(task);
    case 'kuramoto': {
      const phases = new Float64Array(task.buf, 0, task.n);
      const omegas = new Float64Array(task.buf, 8 * task.n, task.n);
      return core.kuramotoIntegrate(phases, omegas, task.coupling, task.dt, task.steps);
    }
    case 'grind':
      return grind(task);
  }
}

/**
 * Claims chunks of items from the shared cursor until none is left and hashes each from the caller's
 * shared input straight into the shared output: a worker the scheduler delays takes fewer chunks
 * instead of holding the whole batch up (as a fixed half would). Returns the items it hashed.
 */
function batch(task: Extract<WorkerTask, { op: 'batch' }>): number {
  const cursor = new Int32Array(task.cursor, 0, 1);
  const { itemSize, count, chunk } = task;
  let done = 0;
  for (;;) {
    const from = Atomics.add(cursor, 0, 1) * chunk;
    if (from >= count) return done;
    const k = Math.min(chunk, count - from);
    const data = new Uint8Array(task.input, task.inputOffset + from * itemSize, k * itemSize);
    new Uint8Array(task.output, 32 * from, 32 * k).set(core.sha256dBatch(data, itemSize));
    done += k;
  }
}

/** Claims chunks until the range is done or the flag is raised; each claimed chunk is ground whole. */
function grind(task: Extract<WorkerTask, { op: 'grind' }>): GrindPart {
  const ints = new Int32Array(task.shared, 0, 4);
  const header = new Uint8Array(task.shared, GRIND_HEADER, HEADER_SIZE).slice();
  const target = new Uint8Array(task.shared, GRIND_TARGET, 32).slice();
  const end = task.start + task.count;
  let hashes = 0;
  while (Atomics.load(ints, GRIND_FLAG) === 0) {
    const s = task.start + Atomics.add(ints, GRIND_CURSOR, 1) * task.chunk;
    if (s >= end) break;
    const k = Math.min(task.chunk, end - s);
    const found = grinder.grindNonces(header, target, s, k);
    if (found >= 0) {
      Atomics.store(ints, GRIND_FLAG, 1);
      return { nonce: found, hashes: hashes + found - s + 1, backend: grinder.backend };
    }
    hashes += k;
  }
  return { nonce: -1, hashes, backend: grinder.backend };
}
