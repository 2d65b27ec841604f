// Fee order over integer handles (slot or sender indexes): a binary heap of int32, no object per item.
import { grown } from '../columns.js';

/**
 * Min-heap by `before` (x first when before(x, y)). With `track`, each handle's position is kept so it can be
 * updated or removed in O(log n); handles are small non-negative ints (indexes into the pool's columns).
 */
export class IndexHeap {
  private a: Int32Array = new Int32Array(16);
  private n = 0;
  private pos: Int32Array;

  constructor(
    private readonly before: (x: number, y: number) => boolean,
    private readonly track = false,
  ) {
    this.pos = new Int32Array(track ? 16 : 0).fill(-1);
  }

  get size(): number {
    return this.n;
  }

  /** Bytes of int32 storage held (for the pool's memory accounting). */
  get capacityBytes(): number {
    return (this.a.length + this.pos.length) * 4;
  }

  /** The first handle, or -1 when empty. */
  peek(): number {
    return this.n > 0 ? this.a[0]! : -1;
  }

  has(x: number): boolean {
    return this.track && x < this.pos.length && this.pos[x]! >= 0;
  }

  push(x: number): void {
    if (this.n === this.a.length) this.a = grown(this.a, this.n * 2);
    if (this.track && x >= this.pos.length) {
      const p = new Int32Array(Math.max(x + 1, this.pos.length * 2)).fill(-1);
      p.set(this.pos);
      this.pos = p;
    }
    this.place(this.n++, x);
    this.up(this.n - 1);
  }

  pop(): number {
    if (this.n === 0) return -1;
    const top = this.a[0]!;
    this.removeAt(0);
    return top;
  }

  /** Re-sorts a tracked handle after its key changed, or adds it. */
  update(x: number): void {
    const i = this.has(x) ? this.pos[x]! : -1;
    if (i < 0) return this.push(x);
    this.down(this.up(i));
  }

  remove(x: number): void {
    if (this.has(x)) this.removeAt(this.pos[x]!);
  }

  private removeAt(i: number): void {
    const gone = this.a[i]!;
    const last = this.a[--this.n]!;
    if (this.track) this.pos[gone] = -1;
    if (i === this.n) return;
    this.place(i, last);
    this.down(this.up(i));
  }

  private place(i: number, x: number): void {
    this.a[i] = x;
    if (this.track) this.pos[x] = i;
  }

  private up(i: number): number {
    const x = this.a[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const y = this.a[p]!;
      if (!this.before(x, y)) break;
      this.place(i, y);
      i = p;
    }
    this.place(i, x);
    return i;
  }

  private down(i: number): void {
    const x = this.a[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.before(this.a[r]!, this.a[l]!) ? r : l;
      const y = this.a[c]!;
      if (!this.before(y, x)) break;
      this.place(i, y);
      i = c;
    }
    this.place(i, x);
  }
}
