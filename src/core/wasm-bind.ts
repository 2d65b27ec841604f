// Binds the core's WASM exports to the `Core` API with plain WebAssembly (no loader: the module has
// no imports and a raw pointer ABI). Node-free, so the browser entry uses it too. Inputs are written
// straight into memory views above scratchBase(); memory grows on demand up to MAX_MEMORY, and batch
// hashing runs in chunks so its scratch stays under BATCH_CHUNK.
import { MAX_PHASES, PHASE_DOWNSAMPLE_TARGET } from '../constants.js';
import { InputError } from '../errors.js';
import type { Core, OrderParameter, PhaseState, WeightedPhases } from './types.js';
import {
  badEncode,
  checkBatch,
  checkGrind,
  checkKuramoto,
  checkWeight,
  coreAbiError,
  emptyPeer,
  phaseDecodeError,
} from './errors.js';

// The tsconfig has no DOM lib, so the few WebAssembly JS-API shapes used here are declared locally.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
export type WasmModule = object;
export interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown }; module: WasmModule }>;
  instantiate(module: WasmModule, imports: object): Promise<{ exports: unknown }>;
}
export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The raw exports of build/core.wasm (documented in docs/core.md). */
export interface CoreExports {
  memory: WasmMemory;
  abiVersion(): number;
  scratchBase(): number;
  simd(): number;
  sha256(p: number, len: number, out: number): void;
  sha256d(p: number, len: number, out: number): void;
  sha256dBatch(p: number, itemSize: number, count: number, out: number): void;
  grindNonces(hp: number, tp: number, start: number, count: number): number;
  orderParameter(p: number, n: number, out: number): void;
  kuramotoIntegrate(pp: number, wp: number, n: number, k: number, dt: number, steps: number, scratch: number, out: number): void;
  incorporatePeerPhases(lp: number, nl: number, pp: number, np: number, weight: number, out: number): number;
  encodePhaseState(pp: number, n: number, r: number, psi: number, out: number): number;
  decodePhaseState(p: number, len: number, out: number): number;
  encodedCount(n: number): number;
  fastSin(x: number): number;
  fastCos(x: number): number;
  tableSin(x: number): number;
  tableCos(x: number): number;
}

/** Largest linear memory the binding will grow to (bytes). */
export const MAX_MEMORY = 512 * 1024 * 1024;
/** Input bytes per sha256dBatch kernel call; bounds the scratch a batch needs. */
export const BATCH_CHUNK = 1 << 20;
const PAGE = 65536;

/**
 * The ABI this binding speaks (export names, signatures, memory layout rules in docs/core.md). A
 * .wasm whose abiVersion() differs is refused: see "ABI version" in docs/core.md for the rule.
 */
export const CORE_ABI_VERSION = 1;

/** Instantiates a compiled core module and binds it, refusing a module of another ABI. */
export async function instantiateCore(mod: WasmModule): Promise<Core> {
  const instance = (await Wasm.instantiate(mod, {})) as { exports: unknown };
  return bindCore(instance.exports as CoreExports);
}

const align = (x: number): number => (x + 15) & ~15;

/** Wraps raw exports in the `Core` API. */
export function bindCore(x: CoreExports): Core {
  const abi = typeof x.abiVersion === 'function' ? x.abiVersion() : undefined;
  if (abi !== CORE_ABI_VERSION) throw coreAbiError(abi, CORE_ABI_VERSION);
  const base = align(x.scratchBase());
  let buf = x.memory.buffer;
  let u8 = new Uint8Array(buf);
  let f64 = new Float64Array(buf);
  let dv = new DataView(buf);

  // Makes [base, base + bytes) addressable, growing memory if needed; refreshes the views.
  const reserve = (bytes: number): void => {
    const need = base + bytes;
    if (need > MAX_MEMORY) throw new InputError('too-large', `input needs ${need} bytes of WASM memory (max ${MAX_MEMORY})`);
    if (need > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((need - x.memory.buffer.byteLength) / PAGE));
    if (buf !== x.memory.buffer) {
      buf = x.memory.buffer;
      u8 = new Uint8Array(buf);
      f64 = new Float64Array(buf);
      dv = new DataView(buf);
    }
  };
  const orderAt = (out: number): OrderParameter => ({ r: dv.getFloat64(out, true), psi: dv.getFloat64(out + 8, true) });

  const sha256d = (data: Uint8Array): Uint8Array => {
    const out = align(base + data.length);
    reserve(out + 32 - base);
    u8.set(data, base);
    x.sha256d(base, data.length, out);
    return u8.slice(out, out + 32);
  };

  const sha256dBatch = (data: Uint8Array, itemSize: number): Uint8Array => {
    const n = checkBatch(data, itemSize);
    const result = new Uint8Array(32 * n);
    const per = Math.max(1, Math.floor(BATCH_CHUNK / itemSize));
    for (let i = 0; i < n; i += per) {
      const k = Math.min(per, n - i);
      const out = align(base + k * itemSize);
      reserve(out + 32 * k - base);
      u8.set(data.subarray(i * itemSize, (i + k) * itemSize), base);
      x.sha256dBatch(base, itemSize, k, out);
      result.set(u8.subarray(out, out + 32 * k), 32 * i);
    }
    return result;
  };

  const grindNonces = (header: Uint8Array, target: Uint8Array, start: number, count: number): number => {
    checkGrind(header, target, start, count);
    reserve(160);
    u8.set(header, base);
    u8.set(target, base + 128);
    // the kernel's count is u32: split the one range (count = 2^32) it cannot express
    while (count > 0) {
      const k = Math.min(count, 0xffff_ffff);
      const found = x.grindNonces(base, base + 128, start, k);
      if (found >= 0) return found;
      start += k;
      count -= k;
    }
    return -1;
  };

  const putF64 = (arr: Float64Array, at: number): void => {
    f64.set(arr, at >>> 3);
  };

  const orderParameter = (phases: Float64Array): OrderParameter => {
    const out = align(base + 8 * phases.length);
    reserve(out + 16 - base);
    putF64(phases, base);
    x.orderParameter(base, phases.length, out);
    return orderAt(out);
  };

  // Runs incorporate with `local` already at address a (in place); peer is copied after it.
  const incorporateAt = (a: number, nl: number, peer: Float64Array, weight: number): void => {
    checkWeight(weight);
    const b = align(a + 8 * nl);
    reserve(b + 8 * peer.length - base);
    putF64(peer, b);
    if (x.incorporatePeerPhases(a, nl, b, peer.length, weight, a) < 0) throw emptyPeer();
  };

  const incorporatePeerPhases = (local: Float64Array, peer: Float64Array, weight = 0.1): Float64Array => {
    checkWeight(weight);
    reserve(8 * local.length);
    putF64(local, base);
    incorporateAt(base, local.length, peer, weight);
    return f64.slice(base >>> 3, (base >>> 3) + local.length);
  };

  const mergePhaseStates = (states: readonly WeightedPhases[]): { phases: Float64Array; r: number } => {
    if (states.length === 0) throw new InputError('no-states', 'mergePhaseStates needs at least one state');
    const first = states[0]!.phases;
    const n = first.length;
    reserve(8 * n);
    putF64(first, base);
    let total = 1.0; // the seed starts at 1.0 regardless of states[0].weight
    for (let k = 1; k < states.length; k++) {
      const { phases, weight } = states[k]!;
      incorporateAt(base, n, phases, weight / (total + weight));
      total += weight;
    }
    const out = align(base + 8 * n);
    reserve(out + 16 - base);
    x.orderParameter(base, n, out);
    return { phases: f64.slice(base >>> 3, (base >>> 3) + n), r: dv.getFloat64(out, true) };
  };

  const encodePhaseState = (phases: Float64Array, r: number, psi: number): Uint8Array => {
    const n = phases.length;
    const count = x.encodedCount(n);
    const out = align(base + 8 * n);
    reserve(out + 12 + 4 * count - base);
    if (count === n) putF64(phases, base);
    else {
      // downsampling keeps phases[::stride]: write only those slots, not all n phases
      const stride = Math.floor(n / PHASE_DOWNSAMPLE_TARGET);
      const at = base >>> 3;
      for (let i = 0; i < n; i += stride) f64[at + i] = phases[i]!;
    }
    const len = x.encodePhaseState(base, phases.length, r, psi, out);
    if (len < 0) throw badEncode(`r = ${r}, psi = ${psi}, or a phase not finite as f32`);
    return u8.slice(out, out + len);
  };

  const decodePhaseState = (bytes: Uint8Array): PhaseState => {
    // The kernel checks n and the length before writing; output is sized from the actual length,
    // so a lying n cannot make us reserve memory.
    // An input longer than any valid state is rejected from its 12-byte prefix: copy only that.
    const copy = bytes.length > 12 + 4 * MAX_PHASES ? 12 : bytes.length;
    const claimed = copy >= 12 ? (copy - 12) >>> 2 : 0;
    const out = align(base + copy);
    reserve(out + 16 + 8 * claimed - base);
    u8.set(bytes.subarray(0, copy), base);
    const n = x.decodePhaseState(base, bytes.length, out);
    if (n < 0) throw phaseDecodeError(-n);
    const p = (out + 16) >>> 3;
    return { phases: f64.slice(p, p + n), r: dv.getFloat64(out, true), psi: dv.getFloat64(out + 8, true) };
  };

  const kuramotoIntegrate = (
    phases: Float64Array,
    omegas: Float64Array,
    coupling: number,
    dt: number,
    steps: number,
  ): OrderParameter => {
    checkKuramoto(phases, omegas, coupling, dt, steps);
    if (steps > 0x7fff_ffff) throw new InputError('bad-steps', `steps above 2^31 − 1: ${steps}`);
    const n = phases.length;
    const w = align(base + 8 * n);
    const scratch = align(w + 8 * n);
    const out = align(scratch + 16 * n);
    reserve(out + 16 - base);
    putF64(phases, base);
    putF64(omegas, w);
    x.kuramotoIntegrate(base, w, n, coupling, dt, steps, scratch, out);
    phases.set(f64.subarray(base >>> 3, (base >>> 3) + n));
    return orderAt(out);
  };

  return {
    backend: 'wasm',
    sha256d,
    sha256dBatch,
    grindNonces,
    orderParameter,
    incorporatePeerPhases,
    mergePhaseStates,
    encodePhaseState,
    decodePhaseState,
    kuramotoIntegrate,
  };
}
