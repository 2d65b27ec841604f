// Append-only flat files (Bitcoin Core's FlatFileSeq blk?????.dat / rev?????.dat, bcoin's FileBlockStore):
// block bytes and undo data are written once, and LevelDB keeps only their 12-byte locations, so its
// compactions never rewrite the bulk of the chain (issue 18: write amplification).
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** A location's size: file u32 LE ‖ offset u32 LE ‖ length u32 LE. */
export const LOCATION_SIZE = 12;
/** Bytes per file before the next one is started (Core's MAX_BLOCKFILE_SIZE). */
export const MAX_FLAT_FILE = 128 << 20;
/** Older files kept open for reads (a source serving an old range reads one or two files). */
const READERS = 8;

/** The append point of a sequence: files below `file` are complete, `file` holds `len` bytes. */
export interface FlatPos {
  file: number;
  len: number;
}

export function encodeLocation(file: number, offset: number, length: number): Uint8Array {
  const v = new Uint8Array(LOCATION_SIZE);
  const dv = new DataView(v.buffer);
  dv.setUint32(0, file, true);
  dv.setUint32(4, offset, true);
  dv.setUint32(8, length, true);
  return v;
}

export function decodeLocation(v: Uint8Array): { file: number; offset: number; length: number } {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return { file: dv.getUint32(0, true), offset: dv.getUint32(4, true), length: dv.getUint32(8, true) };
}

/** Two sequences' append points as one value (the store's `m/flat` meta, written in every batch that moves them). */
export function encodePositions(a: FlatPos, b: FlatPos): Uint8Array {
  const v = new Uint8Array(16);
  const dv = new DataView(v.buffer);
  dv.setUint32(0, a.file, true);
  dv.setUint32(4, a.len, true);
  dv.setUint32(8, b.file, true);
  dv.setUint32(12, b.len, true);
  return v;
}

export function decodePositions(v: Uint8Array | undefined): [FlatPos, FlatPos] {
  if (!v || v.length !== 16) return [{ file: 0, len: 0 }, { file: 0, len: 0 }];
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return [
    { file: dv.getUint32(0, true), len: dv.getUint32(4, true) },
    { file: dv.getUint32(8, true), len: dv.getUint32(12, true) },
  ];
}

/**
 * One sequence of append-only files `<prefix>NNNNN.dat` in `dir`. Appends are synchronous positional
 * writes into the page cache, made before the LevelDB batch that references them is handed over, so a
 * batch that landed never points past what was written (kill -9 safe; not fsynced, like LevelDB's log).
 */
export class FlatFileSeq {
  private file = 0;
  private len = 0;
  private fd = -1;
  private readonly readers = new Map<number, number>();

  constructor(
    readonly dir: string,
    readonly prefix: string,
    readonly maxFileSize = MAX_FLAT_FILE,
  ) {}

  private path(file: number): string {
    return join(this.dir, `${this.prefix}${String(file).padStart(5, '0')}.dat`);
  }

  /**
   * Opens at `pos`, the append point recorded by the last batch that landed. Bytes past it were appended
   * for a batch that never landed (kill -9 between the append and the write): cut, as are later files.
   */
  open(pos: FlatPos): void {
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      const m = /^(\D+)(\d{5})\.dat$/.exec(name);
      if (m && m[1] === this.prefix && Number(m[2]) > pos.file) unlinkSync(join(this.dir, name));
    }
    const p = this.path(pos.file);
    this.fd = openSync(p, existsSync(p) ? 'r+' : 'w+');
    const size = fstatSync(this.fd).size;
    if (size < pos.len) {
      closeSync(this.fd);
      this.fd = -1;
      throw new InputError('store-corrupt', `${p} holds ${size} bytes, the store references ${pos.len}`);
    }
    if (size > pos.len) ftruncateSync(this.fd, pos.len);
    this.file = pos.file;
    this.len = pos.len;
  }

  get pos(): FlatPos {
    return { file: this.file, len: this.len };
  }

  /** Appends each part (one writev per file touched) and returns their locations, in order. */
  append(parts: readonly Uint8Array[]): Uint8Array[] {
    const locs: Uint8Array[] = [];
    let group: Uint8Array[] = [];
    let start = this.len;
    const writeGroup = (): void => {
      if (group.length === 0) return;
      const want = this.len - start;
      const n = writevSync(this.fd, group, start);
      if (n !== want) throw new InputError('store-corrupt', `short write to ${this.path(this.file)}: ${n} of ${want} bytes`);
      group = [];
    };
    for (const b of parts) {
      if (this.len > 0 && this.len + b.length > this.maxFileSize) {
        writeGroup();
        this.roll();
        start = 0;
      }
      locs.push(encodeLocation(this.file, this.len, b.length));
      group.push(b);
      this.len += b.length;
    }
    writeGroup();
    return locs;
  }

  /** The current file is complete: keep it open for reads, start the next. */
  private roll(): void {
    this.keepReader(this.file, this.fd);
    this.file++;
    this.len = 0;
    this.fd = openSync(this.path(this.file), 'w+');
  }

  private keepReader(file: number, fd: number): void {
    this.readers.set(file, fd);
    if (this.readers.size > READERS) {
      const [f, old] = this.readers.entries().next().value as [number, number];
      this.readers.delete(f);
      closeSync(old);
    }
  }

  /** The bytes at a location (undefined if the file does not hold them: a store out of step with its files). */
  read(loc: Uint8Array): Uint8Array | undefined {
    const { file, offset, length } = decodeLocation(loc);
    let fd = file === this.file ? this.fd : this.readers.get(file);
    if (fd === undefined) {
      const p = this.path(file);
      if (file > this.file || !existsSync(p)) return undefined;
      fd = openSync(p, 'r');
      this.keepReader(file, fd);
    }
    const out = new Uint8Array(length);
    return readSync(fd, out, 0, length, offset) === length ? out : undefined;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
  }
}
