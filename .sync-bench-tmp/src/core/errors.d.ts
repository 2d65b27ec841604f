import { InputError, ProtocolError } from '../errors.js';
/** decodePhaseState rejections; the numbers are the WASM kernel's return codes (negated). */
export declare const PHASE_DECODE_CODES: {
    readonly 1: "PHASE_TOO_SHORT";
    readonly 2: "PHASE_TOO_MANY";
    readonly 3: "PHASE_BAD_LENGTH";
    readonly 4: "PHASE_BAD_R";
    readonly 5: "PHASE_BAD_PSI";
    readonly 6: "PHASE_BAD_PHASE";
};
export type PhaseDecodeCode = (typeof PHASE_DECODE_CODES)[keyof typeof PHASE_DECODE_CODES];
/** The ProtocolError for a decode rejection (numeric code from WASM or the name). */
export declare function phaseDecodeError(code: number | PhaseDecodeCode): ProtocolError;
export declare function checkBatch(data: Uint8Array, itemSize: number): number;
export declare function checkGrind(header: Uint8Array, target: Uint8Array, start: number, count: number): void;
export declare function checkKuramoto(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): void;
export declare function checkWeight(weight: number): void;
export declare function emptyPeer(): InputError;
export declare function badEncode(what: string): InputError;
