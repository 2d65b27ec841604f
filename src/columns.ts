// Typed-array columns (struct-of-arrays storage: mempool slab, address book, relay table, fee heap).

export type Column = Uint8Array | Int32Array | Float64Array | BigUint64Array;

/** A copy of `a` in a new column of the same type holding `n` rows of `per` elements (the rest zero). */
export function grown<T extends Column>(a: T, n: number, per = 1): T {
  const b = new (a.constructor as new (n: number) => T)(n * per);
  b.set(a as never);
  return b;
}
