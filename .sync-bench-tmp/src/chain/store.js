import { ClassicLevel } from 'classic-level';
import { HEADER_SIZE } from '../constants.js';
import { bigToBytesBE, bytesToBigBE, concatBytes, copyBytes, toHex, view } from './bytes.js';
import { decodeOwnedHeader } from './header.js';
import { decodeAccount, encodeAccount } from './ledger.js';
import { Lru } from './lru.js';
/** Record flags. */
export const HAVE_DATA = 1;
export const INVALID = 4;
/** Key prefixes (one ASCII byte each); docs/chain.md lists the layout. */
export const P = {
    header: 0x68, // 'h' hash → [header 118][chainWork 32 BE][status u8]
    block: 0x62, // 'b' hash → block bytes
    main: 0x6e, // 'n' height u32 BE → hash (connected chain)
    hchain: 0x48, // 'H' height u32 BE → hash (best header chain)
    account: 0x61, // 'a' address 20 → [balance u64][nonce u64]
    undo: 0x75, // 'u' hash → undo data
    tx: 0x78, // 'x' txid → [block hash 32][height u32][index u32]
    side: 0x73, // 's' height u32 BE + hash → empty (blocks with data off the main chain)
    meta: 0x6d, // 'm' name → value
    peer: 0x70, // 'p' key utf8 → value utf8 (address book)
};
const EMPTY = new Uint8Array(0);
const enc = new TextEncoder();
const dec = new TextDecoder();
export function key(prefix, ...parts) {
    return concatBytes([Uint8Array.of(prefix), ...parts]);
}
export function heightKey(prefix, height, extra) {
    const k = new Uint8Array(5 + (extra?.length ?? 0));
    k[0] = prefix;
    view(k).setUint32(1, height, false);
    if (extra)
        k.set(extra, 5);
    return k;
}
/** Buffers from the binding as plain Uint8Array views (deep equality and slice() behave). */
const u8 = (b) => b === undefined || Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const metaKey = (name) => key(P.meta, enc.encode(name));
export function encodeRecord(r) {
    const out = new Uint8Array(HEADER_SIZE + 33);
    out.set(r.headerBytes, 0);
    out.set(bigToBytesBE(r.chainWork), HEADER_SIZE);
    out[HEADER_SIZE + 32] = r.status;
    return out;
}
function decodeRecord(hash, v) {
    const headerBytes = copyBytes(v, 0, HEADER_SIZE);
    return {
        hash,
        header: decodeOwnedHeader(headerBytes),
        headerBytes,
        chainWork: bytesToBigBE(v.subarray(HEADER_SIZE, HEADER_SIZE + 32)),
        status: v[HEADER_SIZE + 32],
    };
}
export class Store {
    db;
    records;
    peers;
    constructor(db, cacheSize) {
        this.db = db;
        this.records = new Lru(cacheSize);
        this.peers = {
            get: async (k) => {
                const v = await db.get(key(P.peer, enc.encode(k)));
                return v === undefined ? undefined : dec.decode(v);
            },
            put: async (k, v) => db.put(key(P.peer, enc.encode(k)), enc.encode(v)),
            delete: async (k) => db.del(key(P.peer, enc.encode(k))),
            list: async (limit = 10_000) => {
                const out = [];
                for await (const [k, v] of db.iterator({ gte: Uint8Array.of(P.peer), lt: Uint8Array.of(P.peer + 1), limit })) {
                    out.push({ key: dec.decode(k.subarray(1)), value: dec.decode(v) });
                }
                return out;
            },
        };
    }
    /** `injected`: an abstract-level db with 'view' encodings (e.g. memory-level in the simulator) instead of one at `location`. */
    static async open(location, cacheSize = 20_000, injected) {
        const db = injected ?? new ClassicLevel(location, { keyEncoding: 'view', valueEncoding: 'view' });
        await db.open();
        return new Store(db, cacheSize);
    }
    async close() {
        this.records.clear();
        await this.db.close();
    }
    /** Commits ops atomically (a chained batch: about twice as fast as the array form here). */
    write(ops) {
        const b = this.db.batch();
        for (const op of ops) {
            if (op.type === 'put')
                b.put(op.key, op.value);
            else
                b.del(op.key);
        }
        return b.write();
    }
    // ---- header records (cached) ----
    getRecord(hash) {
        const hex = toHex(hash);
        const c = this.records.get(hex);
        if (c)
            return c;
        const v = this.db.getSync(key(P.header, hash));
        if (v === undefined)
            return undefined;
        const r = decodeRecord(hash, v);
        this.records.set(hex, r);
        return r;
    }
    /** Queues the record in `ops` and makes it visible to getRecord at once (the chain is single-writer). */
    putRecord(ops, r) {
        this.records.set(toHex(r.hash), r);
        ops.push({ type: 'put', key: key(P.header, r.hash), value: encodeRecord(r) });
    }
    /** Drops cached records (after a failed batch the cache may be ahead of the disk). */
    forgetCache() {
        this.records.clear();
    }
    // ---- indexes ----
    mainHash(height) {
        return u8(this.db.getSync(heightKey(P.main, height)));
    }
    headerChainHash(height) {
        return u8(this.db.getSync(heightKey(P.hchain, height)));
    }
    getBlockBytes(hash) {
        return this.db.get(key(P.block, hash)).then(u8);
    }
    getUndo(hash) {
        return u8(this.db.getSync(key(P.undo, hash)));
    }
    getAccount(address) {
        const v = this.db.getSync(key(P.account, address));
        return v === undefined ? undefined : decodeAccount(v);
    }
    putAccount(ops, address, a) {
        const k = key(P.account, address);
        ops.push(a ? { type: 'put', key: k, value: encodeAccount(a) } : { type: 'del', key: k });
    }
    getTxLocation(id) {
        const v = this.db.getSync(key(P.tx, id));
        if (v === undefined)
            return undefined;
        const dv = view(v);
        return { blockHash: copyBytes(v, 0, 32), height: dv.getUint32(32, true), index: dv.getUint32(36, true) };
    }
    putTxLocation(ops, id, loc) {
        const v = new Uint8Array(40);
        v.set(loc.blockHash, 0);
        view(v).setUint32(32, loc.height, true);
        view(v).setUint32(36, loc.index, true);
        ops.push({ type: 'put', key: key(P.tx, id), value: v });
    }
    getMeta(name) {
        return u8(this.db.getSync(metaKey(name)));
    }
    putMeta(ops, name, value) {
        ops.push({ type: 'put', key: metaKey(name), value });
    }
    /** Side blocks with data below `belowHeight`, oldest first (bounded by `limit`). */
    async sideBelow(belowHeight, limit) {
        const out = [];
        for await (const k of this.db.keys({ gte: Uint8Array.of(P.side), lt: heightKey(P.side, belowHeight), limit })) {
            out.push({ key: k, height: view(k).getUint32(1, false), hash: copyBytes(k, 5) });
        }
        return out;
    }
    static EMPTY = EMPTY;
}
//# sourceMappingURL=store.js.map