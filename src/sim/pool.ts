// A stand-in for CorePool in simulated miners: the same grind() signature, nonces found inline with
// core.grindNonces, the answer delivered after the virtual time a miner of the given hashrate would need.
import type { Core } from '../core/types.js';
import type { GrindAnswer, GrindPool } from '../miner/miner.js';
import type { VirtualClock } from './clock.js';

export class VirtualHashPool implements GrindPool {
  readonly threads = 1;
  /** Hashes actually computed (real work on this thread). */
  hashes = 0;

  /** `hashrate`: virtual hashes per second this miner is credited with. */
  constructor(
    private readonly core: Core,
    private readonly clock: VirtualClock,
    readonly hashrate: number,
  ) {}

  grind(header: Uint8Array, target: Uint8Array, opts: { signal?: AbortSignal; start?: number; count?: number }): Promise<GrindAnswer> {
    const start = opts.start ?? 0;
    const count = opts.count ?? 2 ** 32 - start;
    const signal = opts.signal;
    if (signal?.aborted) return Promise.resolve({ nonce: -1, aborted: true, hashes: 0 });
    // Real search, but in slices: a find ends it early, as the worker pool would.
    let nonce = -1;
    const slice = 1 << 14;
    for (let s = start; s < start + count; s += slice) {
      const n = Math.min(slice, start + count - s);
      nonce = this.core.grindNonces(header, target, s, n);
      if (nonce >= 0) {
        this.hashes += nonce - s + 1;
        break;
      }
      this.hashes += n;
    }
    const tried = nonce >= 0 ? nonce - start + 1 : count;
    const delayMs = (tried * 1000) / this.hashrate;
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.clock.clearTimeout(timer);
        resolve({ nonce: -1, aborted: true, hashes: 0 });
      };
      const timer = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve({ nonce, found: nonce >= 0, hashes: tried });
      }, delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
