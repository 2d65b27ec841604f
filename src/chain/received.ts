// A block as it arrived (btcd's btcutil.Block): its bytes with the hash and decoded parts computed once.
import { HEADER_SIZE } from '../constants.js';
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import { decodeBlockParts, type BlockParts } from './block.js';
import { HEADER_OFFSET } from './header.js';
import { dataView } from '../bytes.js';

/**
 * Sync builds one per BLOCK message (`new ReceivedBlock(frameBytes)`), uses `hash(core)` for its own
 * bookkeeping and passes the same object to `chain.addBlock`: the chain then neither hashes the header
 * again nor copies the bytes (the store keeps them as they are, so the caller hands over ownership:
 * the bytes must not be written afterwards).
 */
export class ReceivedBlock {
  private cachedHash: Uint8Array | undefined;
  private cachedParts: BlockParts | undefined;

  constructor(
    readonly bytes: Uint8Array,
    hash?: Uint8Array,
  ) {
    this.cachedHash = hash;
  }

  /** sha256d of the header (computed on first use); 'bad-size' when there is no whole header. */
  hash(core: Pick<Core, 'sha256d'>): Uint8Array {
    if (this.cachedHash) return this.cachedHash;
    if (this.bytes.length < HEADER_SIZE) throw new ValidationError('bad-size', `block of ${this.bytes.length} bytes`);
    this.cachedHash = core.sha256d(this.bytes.subarray(0, HEADER_SIZE));
    return this.cachedHash;
  }

  /** Height field of the header, 0 when there is no whole header. */
  get height(): number {
    return this.bytes.length < HEADER_SIZE ? 0 : dataView(this.bytes).getUint32(HEADER_OFFSET.height, true);
  }

  /** The decoded block and its byte slices (decoded on first use; throws the decoder's ValidationError). */
  parts(): BlockParts {
    this.cachedParts ??= decodeBlockParts(this.bytes);
    return this.cachedParts;
  }
}
