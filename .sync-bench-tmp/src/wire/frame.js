// Frames `[type u8][length u32 LE][payload]` and a streaming decoder for TCP byte streams.
import { MAX_MESSAGE_SIZE } from '../constants.js';
import { ProtocolError } from '../errors.js';
/** Bytes before the payload: type (1) + length (4). */
export const FRAME_HEADER_SIZE = 5;
/** One frame as bytes; throws ProtocolError 'frame-too-large' past MAX_MESSAGE_SIZE. */
export function encodeFrame(type, payload) {
    if (!Number.isInteger(type) || type < 0 || type > 0xff)
        throw new ProtocolError('bad-type', `frame type ${type} is not a byte`);
    if (payload.length > MAX_MESSAGE_SIZE) {
        throw new ProtocolError('frame-too-large', `payload of ${payload.length} bytes exceeds ${MAX_MESSAGE_SIZE}`);
    }
    const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
    out[0] = type;
    new DataView(out.buffer).setUint32(1, payload.length, true);
    out.set(payload, FRAME_HEADER_SIZE);
    return out;
}
/**
 * Turns arbitrary chunks (frames split across reads or packed together) into whole frames.
 * The claimed length is checked against the cap before any payload buffer is allocated; after a
 * 'frame-too-large' error the decoder is poisoned (the connection must be dropped).
 */
export class FrameDecoder {
    maxSize;
    header = new Uint8Array(FRAME_HEADER_SIZE);
    headerLen = 0;
    payload = null;
    payloadLen = 0;
    type = 0;
    failed = null;
    constructor(maxSize = MAX_MESSAGE_SIZE) {
        this.maxSize = maxSize;
    }
    /** Bytes held for an incomplete frame. */
    get bufferedBytes() {
        return this.headerLen + this.payloadLen;
    }
    /** Feeds one chunk; returns the frames it completed, in order. */
    push(chunk) {
        if (this.failed)
            throw this.failed;
        const out = [];
        let off = 0;
        const n = chunk.length;
        while (off < n) {
            if (this.payload === null) {
                // Fast path: a whole header (and maybe payload) inside this chunk, no copy.
                if (this.headerLen === 0 && n - off >= FRAME_HEADER_SIZE) {
                    const type = chunk[off];
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
                if (this.headerLen < FRAME_HEADER_SIZE)
                    break;
                const len = readU32(this.header, 1);
                this.checkLength(len);
                this.headerLen = 0;
                if (len === 0) {
                    out.push({ type: this.header[0], payload: new Uint8Array(0) });
                    continue;
                }
                this.startPayload(this.header[0], len);
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
    checkLength(len) {
        if (len > this.maxSize) {
            this.failed = new ProtocolError('frame-too-large', `frame claims ${len} bytes, limit ${this.maxSize}`);
            throw this.failed;
        }
    }
    startPayload(type, len) {
        this.type = type;
        this.payload = new Uint8Array(len); // len already checked against the cap
        this.payloadLen = 0;
    }
}
function readU32(b, off) {
    return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16)) + b[off + 3] * 0x1000000;
}
//# sourceMappingURL=frame.js.map