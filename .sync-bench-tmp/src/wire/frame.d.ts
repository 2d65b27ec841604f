/** Bytes before the payload: type (1) + length (4). */
export declare const FRAME_HEADER_SIZE = 5;
export interface Frame {
    type: number;
    /** A view into the received bytes: copy it before keeping it long (the codec does). */
    payload: Uint8Array;
}
/** One frame as bytes; throws ProtocolError 'frame-too-large' past MAX_MESSAGE_SIZE. */
export declare function encodeFrame(type: number, payload: Uint8Array): Uint8Array;
/**
 * Turns arbitrary chunks (frames split across reads or packed together) into whole frames.
 * The claimed length is checked against the cap before any payload buffer is allocated; after a
 * 'frame-too-large' error the decoder is poisoned (the connection must be dropped).
 */
export declare class FrameDecoder {
    private readonly maxSize;
    private readonly header;
    private headerLen;
    private payload;
    private payloadLen;
    private type;
    private failed;
    constructor(maxSize?: number);
    /** Bytes held for an incomplete frame. */
    get bufferedBytes(): number;
    /** Feeds one chunk; returns the frames it completed, in order. */
    push(chunk: Uint8Array): Frame[];
    private checkLength;
    private startPayload;
}
