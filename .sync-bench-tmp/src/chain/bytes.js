// Small byte helpers shared by the chain's format modules.
export const ZERO_HASH = new Uint8Array(32);
export function toHex(b) {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
export function fromHex(s) {
    return new Uint8Array(Buffer.from(s, 'hex'));
}
export function bytesEqual(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
}
export function concatBytes(parts) {
    let n = 0;
    for (const p of parts)
        n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
        out.set(p, o);
        o += p.length;
    }
    return out;
}
/** A fresh Uint8Array copy (Buffer.prototype.slice would return a view). */
export const copyBytes = (b, start = 0, end = b.length) => new Uint8Array(b.subarray(start, end));
export const view = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** Unsigned big-endian bytes → bigint. */
export function bytesToBigBE(b) {
    return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}
/** bigint → `len`-byte big-endian (callers stay below 2^(8·len)). */
export function bigToBytesBE(x, len = 32) {
    return fromHex(x.toString(16).padStart(2 * len, '0').slice(-2 * len));
}
/** a ≤ b for equal-length big-endian byte strings (no bigint on the hot path). */
export function lessOrEqualBE(a, b) {
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return a[i] < b[i];
    return true;
}
//# sourceMappingURL=bytes.js.map