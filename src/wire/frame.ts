// Frames `[type u8][length u32 LE][payload]` and a streaming decoder for TCP byte streams.
import { MAX_MESSAGE_SIZE } from '../constants.js';
import { ProtocolError } from '../errors.js';

/** Bytes before the payload: type (1) + length (4). */
export const FRAME_HEADER_SIZE = 5;

export interface Frame {
  type: number;
  /** A view into the received bytes: copy it before keeping it long (the codec does). */
  payload: Uint8Array;
}

/** One frame as bytes; throws ProtocolError 'frame-too-large' past MAX_MESSAGE_SIZE. */
export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new ProtocolError('bad-type', `frame type ${type} is not a byte`);
  if (payload.length > MAX_MESSAGE_SIZE) {
    throw new ProtocolError('frame-too-large', `payload of ${payload.length} bytes exceeds ${MAX_MESSAGE_SIZE}`);
  }
  const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
  const n = payload.length;
  // the length LE by hand: a DataView would need out.buffer, which moves a small array off the heap
  out[0] = type;
  out[1] = n & 0xff;
  out[2] = (n >>> 8) & 0xff;
  out[3] = (n >>> 16) & 0xff;
  out[4] = n >>> 24;
  out.set(payload, FRAME_HEADER_SIZE);
  return out;
}

/**
 * Turns arbitrary chunks (frames split across reads or packed together) into whole frames.
 * The claimed length is checked against the cap before any payload buffer is allocated; after a
 * 'frame-too-large' error the decoder is poisoned (the connection must be dropped).
 */
export class FrameDecoder {
  private readonly header = new Uint8Array(FRAME_HEADER_SIZE);
  private headerLen = 0;
  private payload: Uint8Array | null = null;
  private payloadLen = 0;
  private type = 0;
  private failed: ProtocolError | null = null;

  constructor(private readonly maxSize: number = MAX_MESSAGE_SIZE) {}

  /** Bytes held for an incomplete frame. */
  get bufferedBytes(): number {
    return this.headerLen + this.payloadLen;
  }

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    if (this.failed) throw this.failed;
    const out: Frame[] = [];
    let off = 0;
    const n = chunk.length;
    while (off < n) {
      if (this.payload === null) {
        // Fast path: a whole header (and maybe payload) inside this chunk, no copy.
        if (this.headerLen === 0 && n - off >= FRAME_HEADER_SIZE) {
          const type = chunk[off]!;
          const len = readU32(chunk, off + 1);
          this.checkLength(len);
          if (n - off - FRAME_HEADER_SIZE >= len) {
            out.push({ type, payload: chunk.subarray(off + FRAME_HEADER_SIZE, off + FRAME_HEADER_SIZE + len) });
            off += FRAME_HEADER_SIZE + len;
            continue;
          }
          this.startPayload(type, len);
          off += FRAME_HEADER_SIZE;
          continue;
        }
        const take = Math.min(FRAME_HEADER_SIZE - this.headerLen, n - off);
        this.header.set(chunk.subarray(off, off + take), this.headerLen);
        this.headerLen += take;
        off += take;
        if (this.headerLen < FRAME_HEADER_SIZE) break;
        const len = readU32(this.header, 1);
        this.checkLength(len);
        this.headerLen = 0;
        if (len === 0) {
          out.push({ type: this.header[0]!, payload: new Uint8Array(0) });
          continue;
        }
        this.startPayload(this.header[0]!, len);
        continue;
      }
      const take = Math.min(this.payload.length - this.payloadLen, n - off);
      this.payload.set(chunk.subarray(off, off + take), this.payloadLen);
      this.payloadLen += take;
      off += take;
      if (this.payloadLen === this.payload.length) {
        out.push({ type: this.type, payload: this.payload });
        this.payload = null;
        this.payloadLen = 0;
      }
    }
    return out;
  }

  private checkLength(len: number): void {
    if (len > this.maxSize) {
      this.failed = new ProtocolError('frame-too-large', `frame claims ${len} bytes, limit ${this.maxSize}`);
      throw this.failed;
    }
  }

  private startPayload(type: number, len: number): void {
    this.type = type;
    this.payload = new Uint8Array(len); // len already checked against the cap
    this.payloadLen = 0;
  }
}

function readU32(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16)) + b[off + 3]! * 0x1000000;
}
