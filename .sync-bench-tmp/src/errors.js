// Typed errors: every failure a peer or user can cause carries a stable code.
/** Base for all BloomCoin errors; `code` is stable and machine-readable. */
export class BloomError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = new.target.name;
    }
}
/** Malformed or out-of-bounds bytes from the wire (frames, messages, phase states). */
export class ProtocolError extends BloomError {
}
/** A block, header or transaction that breaks a consensus rule. */
export class ValidationError extends BloomError {
}
/** Bad input from an operator or API caller. */
export class InputError extends BloomError {
}
//# sourceMappingURL=errors.js.map