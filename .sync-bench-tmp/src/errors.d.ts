/** Base for all BloomCoin errors; `code` is stable and machine-readable. */
export declare class BloomError extends Error {
    readonly code: string;
    constructor(code: string, message: string);
}
/** Malformed or out-of-bounds bytes from the wire (frames, messages, phase states). */
export declare class ProtocolError extends BloomError {
}
/** A block, header or transaction that breaks a consensus rule. */
export declare class ValidationError extends BloomError {
}
/** Bad input from an operator or API caller. */
export declare class InputError extends BloomError {
}
