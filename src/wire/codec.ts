// Typed encode/decode of every message payload (layouts: docs/protocol.md). Pure, no sockets.
import { HEADER_SIZE, MAX_HEADERS_PER_MSG, MAX_MESSAGE_SIZE, MAX_PHASES } from '../constants.js';
import { InputError, ProtocolError, type ErrorCode } from '../errors.js';
import { toHex } from '../bytes.js';
import { encodeFrame } from './frame.js';
import { MsgType, type Message, type MsgTypeCode, type NetAddr, type VersionExt } from './types.js';
import { formatIp, parseIpInto } from './ip.js';

/** ADDR encoding's 16-byte address, copied into the frame at once (one array, not one per address). */
const ipScratch = new Uint8Array(16);

/** The seed's VERSION `<IIQI`. */
export const VERSION_BASE_SIZE = 20;
export const MAX_USER_AGENT_BYTES = 64;
export const MAX_CHAINWORK_BYTES = 32;
export const MAX_GETDATA_HASHES = 500;
export const MAX_ADDRS_PER_MSG = 1000;
/** One ADDR entry: 16-byte IPv6 (IPv4 as ::ffff:a.b.c.d), port u16, lastSeen u32. */
export const ADDR_ENTRY_SIZE = 22;
export const HASH_SIZE = 32;

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(MsgType).map(([k, v]) => [v, k]));

/** "PING", or "0x7f" for a type this node does not know. */
export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `0x${type.toString(16).padStart(2, '0')}`;
}

export function isKnownType(type: number): type is MsgTypeCode {
  return TYPE_NAMES[type] !== undefined;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Enc = new TextEncoder();

// ---------- encode ----------

/** Payload bytes of a message; throws InputError if a field is out of its wire range. */
export function encodeMessage(msg: Message): Uint8Array {
  switch (msg.type) {
    case MsgType.VERSION: {
      const ext = msg.ext;
      let ua: Uint8Array | null = null;
      let work: Uint8Array | null = null;
      if (ext) {
        ua = utf8Enc.encode(ext.userAgent);
        if (ua.length > MAX_USER_AGENT_BYTES) throw new InputError('bad-message', `user agent over ${MAX_USER_AGENT_BYTES} bytes`);
        work = bigToBytes(ext.chainWork);
      }
      const size = VERSION_BASE_SIZE + (ext ? 4 + 8 + 1 + work!.length + 1 + ua!.length : 0);
      const w = new Writer(size);
      w.u32(msg.version).u32(msg.height).u64(BigInt(checkInt(msg.timestamp, 0, Number.MAX_SAFE_INTEGER))).u32(msg.port);
      if (ext) {
        w.u32(ext.magic).u64(ext.nonce).u8(work!.length).bytes(work!).u8(ua!.length).bytes(ua!);
      }
      return w.done();
    }
    case MsgType.VERACK:
    case MsgType.GETADDR:
    case MsgType.GETPHASE:
      return new Uint8Array(0);
    case MsgType.ADDR: {
      if (msg.addrs.length > MAX_ADDRS_PER_MSG) throw new InputError('bad-message', `over ${MAX_ADDRS_PER_MSG} addresses`);
      const w = new Writer(2 + msg.addrs.length * ADDR_ENTRY_SIZE);
      w.u16(msg.addrs.length);
      for (const a of msg.addrs) {
        if (!parseIpInto(a.host, ipScratch)) throw new InputError('bad-message', `not an IP address: ${a.host}`);
        w.bytes(ipScratch).u16(a.port).u32(a.lastSeen);
      }
      return w.done();
    }
    case MsgType.PING:
    case MsgType.PONG:
      return new Writer(8).u64(msg.nonce).done();
    case MsgType.GETBLOCKS:
      return new Writer(8).u32(msg.start).u32(msg.count).done();
    case MsgType.BLOCKS: {
      if (msg.headers.length > MAX_HEADERS_PER_MSG) throw new InputError('bad-message', `over ${MAX_HEADERS_PER_MSG} headers`);
      const w = new Writer(4 + msg.headers.length * HEADER_SIZE);
      w.u32(msg.headers.length);
      for (const h of msg.headers) w.fixed(h, HEADER_SIZE);
      return w.done();
    }
    case MsgType.GETDATA: {
      if (msg.hashes.length > MAX_GETDATA_HASHES) throw new InputError('bad-message', `over ${MAX_GETDATA_HASHES} hashes`);
      const w = new Writer(4 + msg.hashes.length * HASH_SIZE);
      w.u32(msg.hashes.length);
      for (const h of msg.hashes) w.fixed(h, HASH_SIZE);
      return w.done();
    }
    case MsgType.BLOCK:
      return checkOpaque(msg.block);
    case MsgType.TX:
      return checkOpaque(msg.tx);
    case MsgType.PHASE:
      checkPhaseStructure(msg.state, (code, m) => new InputError(code, m));
      return msg.state;
    case MsgType.COHERENCE:
      return new Writer(12).f32(msg.r).f32(msg.psi).u32(msg.rounds).done();
    case MsgType.BLOOM: {
      if (HASH_SIZE + msg.cert.length > MAX_MESSAGE_SIZE) throw new InputError('bad-message', 'certificate too large');
      return new Writer(HASH_SIZE + msg.cert.length).fixed(msg.blockHash, HASH_SIZE).bytes(msg.cert).done();
    }
    default:
      throw new InputError('bad-message', `unknown message type ${(msg as { type: number }).type}`);
  }
}

/** A whole frame for a message. */
export function encodeMessageFrame(msg: Message): Uint8Array {
  return encodeFrame(msg.type, encodeMessage(msg));
}

// ---------- decode ----------

/** Parses one payload; throws only ProtocolError (code 'unknown-type' for a type we do not know). */
export function decodeMessage(type: number, payload: Uint8Array): Message {
  if (type === MsgType.PHASE) return decodePhaseMsg(payload); // the most frequent frame: no Reader
  const r = new Reader(payload);
  switch (type) {
    case MsgType.VERSION: {
      const version = r.u32();
      const height = r.u32();
      const ts = r.u64();
      if (ts > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolError('bad-timestamp', 'VERSION timestamp out of range');
      const port = r.u32();
      if (r.remaining === 0) return { type, version, height, timestamp: Number(ts), port };
      const magic = r.u32();
      const nonce = r.u64();
      const workLen = r.u8();
      if (workLen > MAX_CHAINWORK_BYTES) throw new ProtocolError('bad-chainwork', `chain work of ${workLen} bytes`);
      const chainWork = bytesToBig(r.take(workLen));
      const uaLen = r.u8();
      if (uaLen > MAX_USER_AGENT_BYTES) throw new ProtocolError('bad-user-agent', `user agent of ${uaLen} bytes`);
      let userAgent: string;
      try {
        userAgent = utf8Strict.decode(r.take(uaLen));
      } catch (e) {
        if (e instanceof ProtocolError) throw e;
        throw new ProtocolError('bad-user-agent', 'user agent is not UTF-8');
      }
      // Bytes after the known extension are reserved for later fields: ignored, not an error.
      const ext: VersionExt = { magic, nonce, chainWork, userAgent };
      return { type, version, height, timestamp: Number(ts), port, ext };
    }
    case MsgType.VERACK:
      r.end();
      return { type };
    case MsgType.GETADDR:
      r.end();
      return { type };
    case MsgType.GETPHASE:
      r.end();
      return { type };
    case MsgType.ADDR: {
      const count = r.u16();
      if (count > MAX_ADDRS_PER_MSG) throw new ProtocolError('too-many-addrs', `${count} addresses`);
      r.need(count * ADDR_ENTRY_SIZE);
      const addrs: NetAddr[] = [];
      for (let i = 0; i < count; i++) {
        const host = formatIp(r.take(16));
        addrs.push({ host, port: r.u16(), lastSeen: r.u32() });
      }
      r.end();
      return { type, addrs };
    }
    case MsgType.PING: {
      const nonce = r.u64();
      r.end();
      return { type, nonce };
    }
    case MsgType.PONG: {
      const nonce = r.u64();
      r.end();
      return { type, nonce };
    }
    case MsgType.GETBLOCKS: {
      const start = r.u32();
      const count = r.u32();
      r.end();
      return { type, start, count };
    }
    case MsgType.BLOCKS: {
      const count = r.u32();
      if (count > MAX_HEADERS_PER_MSG) throw new ProtocolError('too-many-headers', `${count} headers`);
      r.need(count * HEADER_SIZE);
      // one copy of the run, the headers views into it: the chain hashes and stores them as one buffer (contiguousRun)
      const run = copy(r.take(count * HEADER_SIZE));
      const headers: Uint8Array[] = new Array<Uint8Array>(count);
      for (let i = 0; i < count; i++) headers[i] = run.subarray(i * HEADER_SIZE, (i + 1) * HEADER_SIZE);
      r.end();
      return { type, headers };
    }
    case MsgType.GETDATA: {
      const count = r.u32();
      if (count > MAX_GETDATA_HASHES) throw new ProtocolError('too-many-hashes', `${count} hashes`);
      r.need(count * HASH_SIZE);
      const hashes: Uint8Array[] = [];
      for (let i = 0; i < count; i++) hashes.push(copy(r.take(HASH_SIZE)));
      r.end();
      return { type, hashes };
    }
    case MsgType.BLOCK:
      return { type, block: copy(payload) };
    case MsgType.TX:
      return { type, tx: copy(payload) };
    case MsgType.COHERENCE: {
      const rr = r.f32();
      const psi = r.f32();
      const rounds = r.u32();
      r.end();
      return { type, r: rr, psi, rounds };
    }
    case MsgType.BLOOM: {
      const blockHash = copy(r.take(HASH_SIZE));
      return { type, blockHash, cert: copy(r.take(r.remaining)) };
    }
    default:
      throw new ProtocolError('unknown-type', `unknown message type ${typeName(type)}`);
  }
}

function decodePhaseMsg(payload: Uint8Array): Message {
  checkPhaseStructure(payload, (code, m) => new ProtocolError(code, m));
  // a view, not a copy: gossip decodes, hashes and re-frames the state inside its handler and never
  // keeps these bytes (one PHASE per mesh peer per round at every node: the copy was ~8 % at 10 k nodes)
  return { type: MsgType.PHASE, state: payload };
}

/** PHASE is `<ffI{n}f`: 12 + 4n bytes, n ≤ MAX_PHASES. Float sanity is core.decodePhaseState's job. */
function checkPhaseStructure(b: Uint8Array, err: (code: ErrorCode, msg: string) => Error): void {
  if (b.length < 12) throw err('truncated', `PHASE of ${b.length} bytes`);
  const n = (b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0; // u32 LE, no DataView per frame
  if (n > MAX_PHASES) throw err('too-many-phases', `PHASE claims ${n} phases`);
  if (b.length !== 12 + 4 * n) throw err('bad-phase-length', `PHASE of ${b.length} bytes for ${n} phases`);
}

/** A plain Uint8Array copy (never a view into a socket buffer, never a Buffer). */
function copy(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

function checkOpaque(b: Uint8Array): Uint8Array {
  if (b.length > MAX_MESSAGE_SIZE) throw new InputError('bad-message', 'payload too large');
  return b;
}

function checkInt(v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new InputError('bad-message', `${v} is outside ${min}..${max}`);
  return v;
}

/** Minimal big-endian bytes of a non-negative integer (0 → no bytes). */
function bigToBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new InputError('bad-message', 'negative chain work');
  let hex = v === 0n ? '' : v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (hex.length / 2 > MAX_CHAINWORK_BYTES) throw new InputError('bad-message', 'chain work over 256 bits');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function bytesToBig(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

class Writer {
  private readonly buf: Uint8Array;
  private readonly dv: DataView;
  private off = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
  }
  u8(v: number): this {
    this.dv.setUint8(this.off, checkInt(v, 0, 0xff));
    this.off += 1;
    return this;
  }
  u16(v: number): this {
    this.dv.setUint16(this.off, checkInt(v, 0, 0xffff), true);
    this.off += 2;
    return this;
  }
  u32(v: number): this {
    this.dv.setUint32(this.off, checkInt(v, 0, 0xffffffff), true);
    this.off += 4;
    return this;
  }
  u64(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new InputError('bad-message', `${v} is not a u64`);
    this.dv.setBigUint64(this.off, v, true);
    this.off += 8;
    return this;
  }
  f32(v: number): this {
    this.dv.setFloat32(this.off, v, true);
    this.off += 4;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.buf.set(b, this.off);
    this.off += b.length;
    return this;
  }
  fixed(b: Uint8Array, size: number): this {
    if (b.length !== size) throw new InputError('bad-message', `expected ${size} bytes, got ${b.length}`);
    return this.bytes(b);
  }
  done(): Uint8Array {
    return this.buf;
  }
}

/** Bounds-checked reads: running past the end is ProtocolError 'truncated'. */
class Reader {
  private readonly dv: DataView;
  private off = 0;
  constructor(private readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  get remaining(): number {
    return this.b.length - this.off;
  }
  need(n: number): void {
    if (this.remaining < n) throw new ProtocolError('truncated', `need ${n} bytes, have ${this.remaining}`);
  }
  end(): void {
    if (this.remaining !== 0) throw new ProtocolError('trailing-bytes', `${this.remaining} unexpected trailing bytes`);
  }
  u8(): number {
    this.need(1);
    return this.dv.getUint8(this.off++);
  }
  u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.off, true);
    this.off += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.off, true);
    this.off += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.dv.getBigUint64(this.off, true);
    this.off += 8;
    return v;
  }
  f32(): number {
    this.need(4);
    const v = this.dv.getFloat32(this.off, true);
    this.off += 4;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const v = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
}
