// Piscina worker: one WASM core per thread; all buffers arrive as SharedArrayBuffers (no cloning).
import { workerData } from 'piscina';
import { HEADER_SIZE } from '../constants.js';
import { GRIND_FLAG, GRIND_HEADER, GRIND_STOPPED, GRIND_TARGET } from './pool-protocol.js';
import { loadWasmCore } from './wasm.js';
const core = await loadWasmCore({ simd: workerData?.simd });
export default function run(task) {
    switch (task.op) {
        case 'batch': {
            const data = new Uint8Array(task.input, task.from * task.itemSize, (task.to - task.from) * task.itemSize);
            new Uint8Array(task.output, 32 * task.from, 32 * (task.to - task.from)).set(core.sha256dBatch(data, task.itemSize));
            return task.to - task.from;
        }
        case 'kuramoto': {
            const phases = new Float64Array(task.buf, 0, task.n);
            const omegas = new Float64Array(task.buf, 8 * task.n, task.n);
            return core.kuramotoIntegrate(phases, omegas, task.coupling, task.dt, task.steps);
        }
        case 'grind': {
            const flag = new Int32Array(task.shared, 0, 4);
            const header = new Uint8Array(task.shared, GRIND_HEADER, HEADER_SIZE).slice();
            const target = new Uint8Array(task.shared, GRIND_TARGET, 32).slice();
            const end = task.start + task.count;
            for (let s = task.start; s < end;) {
                if (Atomics.load(flag, GRIND_FLAG) !== 0)
                    return GRIND_STOPPED;
                const k = Math.min(task.chunk, end - s);
                const found = core.grindNonces(header, target, s, k);
                if (found >= 0) {
                    Atomics.store(flag, GRIND_FLAG, 1);
                    return found;
                }
                s += k;
            }
            return -1;
        }
    }
}
//# sourceMappingURL=worker.js.map