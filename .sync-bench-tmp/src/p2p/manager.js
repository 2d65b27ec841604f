// The peer manager: listening, dialling, limits, bans, liveness, dispatch and broadcast (PeerNetwork).
import { randomBytes } from 'node:crypto';
import { BAN_THRESHOLD, DEFAULT_BAN_MS, DEFAULT_MAX_PEERS, MAINNET, PROTOCOL_VERSION } from '../constants.js';
import { InputError, ProtocolError } from '../errors.js';
import { silentLogger } from '../log.js';
import { encodeMessageFrame, typeName } from '../wire/codec.js';
import { normalizeHost } from '../wire/ip.js';
import { MsgType } from '../wire/types.js';
import { AddrBook, addrKey } from './addrbook.js';
import { BanList } from './bans.js';
import { systemClock } from './clock.js';
import { PeerConn } from './peer.js';
import { TcpTransport } from './transport.js';
/** Misbehaviour points per offence (docs/protocol.md has the table). */
export const SCORES = Object.freeze({
    frameTooLarge: 100,
    malformed: 20,
    malformedPhase: 10,
    beforeHandshake: 10,
    handshakeOrder: 10,
    wrongMagic: 10,
    handlerProtocolError: 10,
    unknownType: 0,
});
const bump = (r, k, n = 1) => {
    r[k] = (r[k] ?? 0) + n;
};
/** Parses "host:port" or "[v6]:port". */
export function parseHostPort(s) {
    const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !Number.isInteger(port) || port < 1 || port > 0xffff)
        throw new InputError('bad-address', `expected host:port, got "${s}"`);
    return { host: m[1], port };
}
export class PeerManager {
    clock;
    log;
    profile;
    nonce;
    maxPeers;
    outboundSlots;
    book;
    bans = new BanList();
    transport;
    opts;
    conns = new Map();
    dialling = new Set();
    /** Addresses that turned out to be ourselves or another network: never dialled again. */
    noDial = new Set();
    handlers = new Map();
    readyCbs = [];
    closedCbs = [];
    waiters = new Map();
    server = null;
    tickTimer = null;
    nextId = 1;
    started = false;
    stopped = false;
    lastSave = 0;
    counters = {
        bytesIn: 0, bytesOut: 0,
        msgsInByType: {}, msgsOutByType: {},
        bytesInByType: {}, bytesOutByType: {},
        invalid: {}, refused: {},
        disconnects: {}, handlerErrors: 0, bansTotal: 0,
    };
    host;
    constructor(opts = {}) {
        this.opts = opts;
        this.transport = opts.transport ?? new TcpTransport();
        this.clock = opts.clock ?? systemClock;
        this.log = opts.logger ?? silentLogger;
        this.profile = opts.profile ?? MAINNET;
        this.nonce = opts.nonce ?? randomBytes(8).readBigUInt64LE(0);
        this.maxPeers = Math.max(1, opts.maxPeers ?? DEFAULT_MAX_PEERS);
        this.outboundSlots = Math.min(this.maxPeers, opts.outboundSlots ?? Math.max(2, Math.floor(this.maxPeers / 4)));
        this.book = new AddrBook(opts.addrBook);
        for (const s of opts.seeds ?? []) {
            const { host, port } = parseHostPort(s);
            this.book.add(host, port, 0, { seed: true });
        }
        this.host = this.makeHost();
    }
    /** The bound listening port (after start), 0 when not listening. */
    get port() {
        return this.server?.port ?? 0;
    }
    async start() {
        if (this.started)
            throw new InputError('already-started', 'peer manager already started');
        this.started = true;
        const now = this.clock.now();
        if (this.opts.addrStore)
            this.book.load(await this.opts.addrStore.load());
        if (this.opts.banStore)
            this.bans.load(await this.opts.banStore.load(), now);
        this.lastSave = now;
        const listenPort = this.opts.listenPort === undefined ? this.profile.p2pPort : this.opts.listenPort;
        if (listenPort !== null) {
            this.server = await this.transport.listen(this.opts.listenHost ?? '0.0.0.0', listenPort, (c) => this.onInbound(c));
            this.log.info({ port: this.server.port }, 'p2p listening');
        }
        this.tickTimer = this.clock.setInterval(() => this.tick(), this.opts.tickMs ?? 5_000);
        this.dialMore();
    }
    /** Closes every peer cleanly, stops listening and saves the address book and bans. */
    async stop() {
        if (this.stopped)
            return;
        this.stopped = true;
        if (this.tickTimer !== null)
            this.clock.clearInterval(this.tickTimer);
        this.tickTimer = null;
        const server = this.server;
        this.server = null;
        for (const p of [...this.conns.values()])
            p.close('shutdown', true);
        if (server)
            await server.close();
        await this.save();
    }
    /** Dials host:port; resolves with the peer once handshaken, rejects if it fails or closes first. */
    async connect(host, port) {
        if (this.stopped || !this.started)
            throw new InputError('not-running', 'peer manager is not running');
        const key = addrKey(host, port);
        if (this.bans.isBanned(host, this.clock.now()))
            throw new InputError('banned', `${host} is banned`);
        if (this.dialling.has(key) || this.isConnectedTo(key))
            throw new InputError('already-connected', `already connected to ${key}`);
        if (this.conns.size + this.dialling.size >= this.maxPeers)
            throw new InputError('max-peers', 'no free peer slot');
        this.dialling.add(key);
        this.book.markAttempt(host, port, this.clock.now());
        let conn;
        try {
            conn = await this.withTimeout(this.transport.connect(host, port), this.opts.connectTimeoutMs ?? 10_000, (late) => late.destroy());
        }
        catch (e) {
            this.dialling.delete(key);
            this.book.markFailure(host, port, this.clock.now());
            throw e instanceof Error ? e : new Error(String(e));
        }
        this.dialling.delete(key);
        if (this.stopped) {
            conn.destroy();
            throw new InputError('not-running', 'peer manager stopped');
        }
        return new Promise((resolve, reject) => {
            const peer = new PeerConn(this.nextId++, conn, false, this.host, this.peerConfig(), key);
            this.conns.set(peer.id, peer);
            this.waiters.set(peer, { resolve, reject });
            peer.start();
        });
    }
    // ---------- PeerNetwork ----------
    peers() {
        return [...this.conns.values()].filter((p) => p.handshaken && !p.closed);
    }
    on(type, handler) {
        const list = this.handlers.get(type) ?? [];
        list.push(handler);
        this.handlers.set(type, list);
    }
    onPeerReady(cb) {
        this.readyCbs.push(cb);
    }
    onPeerClosed(cb) {
        this.closedCbs.push(cb);
    }
    send(peer, msg) {
        const p = this.own(peer);
        return p ? p.send(msg) : false;
    }
    broadcast(msg, opts = {}) {
        let frame;
        try {
            frame = encodeMessageFrame(msg); // encoded once, the same bytes queued to every peer
        }
        catch (e) {
            this.log.error({ err: e, type: typeName(msg.type) }, 'cannot encode broadcast');
            return 0;
        }
        const { exclude, key } = opts;
        if (exclude && key !== undefined)
            this.own(exclude)?.markSeen(key);
        let sent = 0;
        for (const p of [...this.conns.values()]) {
            if (!p.handshaken || p.closed || p === exclude)
                continue;
            if (key !== undefined) {
                if (p.hasSeen(key))
                    continue;
                p.markSeen(key);
            }
            if (p.sendFrame(msg.type, frame))
                sent++;
        }
        return sent;
    }
    markSeen(peer, key) {
        this.own(peer)?.markSeen(key);
    }
    misbehave(peer, points, reason) {
        const p = this.own(peer);
        if (!p || p.closed)
            return;
        bump(this.counters.invalid, reason);
        if (points <= 0)
            return;
        p.score += points;
        this.log.debug({ peer: p.address, points, score: p.score, reason }, 'peer misbehaved');
        if (p.score >= BAN_THRESHOLD)
            this.ban(p.host, reason);
    }
    disconnect(peer, reason) {
        this.own(peer)?.close(reason);
    }
    // ---------- operator API ----------
    /** Bans a host for banMs and drops every connection from it. */
    ban(host, reason, ms = this.opts.banMs ?? DEFAULT_BAN_MS) {
        this.bans.ban(host, this.clock.now() + ms, reason);
        this.counters.bansTotal++;
        this.log.warn({ host, reason }, 'banned peer');
        for (const p of [...this.conns.values()])
            if (normalizeHost(p.host) === normalizeHost(host))
                p.close(`banned: ${reason}`);
    }
    unban(host) {
        return this.bans.unban(host);
    }
    listBans() {
        return this.bans.list(this.clock.now());
    }
    /** Every connection, handshaken or not (for the API's peer list). */
    connections() {
        return [...this.conns.values()].filter((p) => !p.closed);
    }
    stats() {
        let inbound = 0;
        let outbound = 0;
        let handshaking = 0;
        for (const p of this.conns.values()) {
            if (!p.handshaken)
                handshaking++;
            else if (p.inbound)
                inbound++;
            else
                outbound++;
        }
        const c = this.counters;
        return {
            inbound, outbound, handshaking, dialling: this.dialling.size,
            bytesIn: c.bytesIn, bytesOut: c.bytesOut,
            msgsInByType: { ...c.msgsInByType }, msgsOutByType: { ...c.msgsOutByType },
            bytesInByType: { ...c.bytesInByType }, bytesOutByType: { ...c.bytesOutByType },
            invalid: { ...c.invalid }, refused: { ...c.refused }, disconnects: { ...c.disconnects },
            handlerErrors: c.handlerErrors,
            bansActive: this.bans.list(this.clock.now()).length, bansTotal: c.bansTotal,
            addrBook: this.book.size,
        };
    }
    // ---------- internals ----------
    makeHost() {
        const self = this;
        return {
            clock: this.clock,
            log: this.log,
            versionMessage: () => this.versionMessage(),
            checkVersion: (p, m) => this.checkVersion(p, m),
            handshakeDone: (p) => this.onReady(p),
            message: (p, m) => this.dispatch(p, m),
            badMessage: (p, type, err) => {
                if (err.code === 'unknown-type') {
                    this.log.debug({ peer: p.address, type: typeName(type) }, 'ignored unknown message type');
                    this.misbehave(p, SCORES.unknownType, 'unknown-type');
                    return;
                }
                const pts = type === MsgType.PHASE ? SCORES.malformedPhase : SCORES.malformed;
                this.misbehave(p, pts, `${typeName(type)}:${err.code}`);
            },
            misbehave: (p, points, reason) => this.misbehave(p, points, reason),
            closed: (p, reason) => this.onClosed(p, reason),
            countIn(type, bytes) {
                const n = typeName(type);
                self.counters.bytesIn += bytes;
                bump(self.counters.msgsInByType, n);
                bump(self.counters.bytesInByType, n, bytes);
            },
            countOut(type, bytes) {
                const n = typeName(type);
                self.counters.bytesOut += bytes;
                bump(self.counters.msgsOutByType, n);
                bump(self.counters.bytesOutByType, n, bytes);
            },
        };
    }
    peerConfig() {
        return {
            handshakeTimeoutMs: this.opts.handshakeTimeoutMs ?? 10_000,
            sendQueueCap: this.opts.sendQueueCap ?? 4 * 1024 * 1024,
            seenCap: this.opts.seenCap ?? 4096,
        };
    }
    versionMessage() {
        const info = this.opts.localInfo?.() ?? { height: 0, chainWork: 0n };
        const maxWork = (1n << 256n) - 1n;
        return {
            type: MsgType.VERSION,
            version: PROTOCOL_VERSION,
            height: Math.min(Math.max(0, Math.floor(info.height)), 0xffffffff),
            timestamp: Math.floor(this.clock.now() / 1000),
            port: this.port,
            ext: {
                magic: this.profile.magic,
                nonce: this.nonce,
                chainWork: info.chainWork < 0n ? 0n : info.chainWork > maxWork ? maxWork : info.chainWork,
                userAgent: truncateUtf8(this.opts.userAgent ?? 'bloomcoin/0.1.0', 64),
            },
        };
    }
    onInbound(conn) {
        const now = this.clock.now();
        const refuse = (reason) => {
            bump(this.counters.refused, reason);
            conn.destroy();
        };
        if (this.stopped)
            return refuse('stopping');
        if (this.bans.isBanned(conn.remoteAddress, now))
            return refuse('banned');
        let inbound = 0;
        for (const p of this.conns.values())
            if (p.inbound)
                inbound++;
        const maxInbound = this.maxPeers - this.outboundSlots;
        if (inbound >= maxInbound || this.conns.size + this.dialling.size >= this.maxPeers)
            return refuse('max-peers');
        const peer = new PeerConn(this.nextId++, conn, true, this.host, this.peerConfig());
        this.conns.set(peer.id, peer);
        peer.start();
    }
    checkVersion(p, m) {
        const refuse = (reason) => {
            bump(this.counters.refused, reason);
            return reason;
        };
        if (m.version < 1)
            return refuse('obsolete-version');
        if (!m.ext)
            return null; // a seed-only client: nothing more to check
        if (m.ext.magic !== this.profile.magic) {
            this.misbehave(p, SCORES.wrongMagic, 'wrong-magic');
            if (p.dialKey)
                this.noDial.add(p.dialKey);
            return refuse('wrong-magic');
        }
        if (m.ext.nonce === this.nonce) {
            if (p.dialKey)
                this.noDial.add(p.dialKey);
            return refuse('self-connection');
        }
        for (const other of this.conns.values()) {
            if (other === p || other.closed || other.remoteNonce !== m.ext.nonce)
                continue;
            // Same node twice (e.g. both dialled each other): both ends keep the one dialled by the lower nonce.
            const dialerNonce = (c) => (c.inbound ? c.remoteNonce : this.nonce);
            if (dialerNonce(p) < dialerNonce(other)) {
                other.close('duplicate-connection');
                bump(this.counters.refused, 'duplicate-connection');
                return null;
            }
            return refuse('duplicate-connection');
        }
        return null;
    }
    onReady(p) {
        const now = this.clock.now();
        if (p.dialKey) {
            const { host, port } = parseHostPort(p.dialKey);
            if (!this.book.get(host, port))
                this.book.add(host, port, Math.floor(now / 1000));
            this.book.markSuccess(host, port, now);
            p.getaddrPending = true;
            p.send({ type: MsgType.GETADDR });
        }
        else if (p.listenPort > 0) {
            this.book.add(p.host, p.listenPort, Math.floor(now / 1000));
        }
        p.ping(now); // first round-trip sample
        this.log.info({ peer: p.address, inbound: p.inbound, height: p.height, ua: p.userAgent }, 'peer ready');
        for (const cb of this.readyCbs)
            this.safe(() => cb(p), 'onPeerReady callback');
        const w = this.waiters.get(p);
        this.waiters.delete(p);
        w?.resolve(p);
    }
    onClosed(p, reason) {
        if (!this.conns.delete(p.id))
            return;
        bump(this.counters.disconnects, reason.startsWith('banned') ? 'banned' : reason.startsWith('socket') ? 'socket-error' : reason);
        if (!p.handshaken && p.dialKey && reason !== 'shutdown') {
            const { host, port } = parseHostPort(p.dialKey);
            this.book.markFailure(host, port, this.clock.now());
        }
        this.log.debug({ peer: p.address, reason }, 'peer closed');
        const w = this.waiters.get(p);
        this.waiters.delete(p);
        w?.reject(new ProtocolError(reason.split(':')[0], `peer ${p.address} closed before the handshake: ${reason}`));
        if (p.handshaken)
            for (const cb of this.closedCbs)
                this.safe(() => cb(p, reason), 'onPeerClosed callback');
    }
    dispatch(p, msg) {
        if (msg.type === MsgType.GETADDR) {
            if (!p.getaddrAnswered) {
                p.getaddrAnswered = true; // once per connection: no amplification
                p.send({ type: MsgType.ADDR, addrs: this.book.good(1000, (k) => k === p.address) });
            }
        }
        else if (msg.type === MsgType.ADDR) {
            // Solicited: up to 1000 taken; unsolicited gossip: only a few, so floods cannot flush the book.
            const limit = p.getaddrPending ? 1000 : 10;
            p.getaddrPending = false;
            const nowSec = Math.floor(this.clock.now() / 1000);
            for (const a of msg.addrs.slice(0, limit))
                this.book.add(a.host, a.port, Math.min(a.lastSeen, nowSec));
        }
        const list = this.handlers.get(msg.type);
        if (!list)
            return;
        for (const h of list) {
            if (p.closed)
                return;
            try {
                const r = h(p, msg);
                if (r && typeof r.then === 'function')
                    r.then(undefined, (e) => this.handlerError(p, msg.type, e));
            }
            catch (e) {
                this.handlerError(p, msg.type, e);
            }
        }
    }
    handlerError(p, type, e) {
        this.counters.handlerErrors++;
        this.log.warn({ err: e, peer: p.address, type: typeName(type) }, 'message handler failed');
        if (e instanceof ProtocolError)
            this.misbehave(p, SCORES.handlerProtocolError, `${typeName(type)}:${e.code}`);
    }
    tick() {
        if (this.stopped)
            return;
        const now = this.clock.now();
        const after = this.opts.pingAfterMs ?? 90_000;
        const timeout = this.opts.pingTimeoutMs ?? 30_000;
        const interval = this.opts.pingIntervalMs ?? 120_000;
        for (const p of [...this.conns.values()]) {
            if (!p.handshaken || p.closed)
                continue;
            const silent = now - p.lastSeen;
            if (silent >= after + timeout) {
                p.close('ping-timeout');
                continue;
            }
            const canPing = p.pingNonce === null || now - p.pingSentAt >= timeout;
            if (canPing && (silent >= after || now - p.pingSentAt >= interval))
                p.ping(now);
        }
        this.dialMore();
        if (now - this.lastSave >= (this.opts.saveIntervalMs ?? 10 * 60_000)) {
            this.lastSave = now;
            void this.save();
        }
    }
    /** Keeps `outboundTarget` outbound connections, seeds and known-good addresses first. */
    dialMore() {
        if (this.stopped)
            return;
        const target = Math.min(this.opts.outboundTarget ?? this.outboundSlots, this.maxPeers);
        let outbound = this.dialling.size;
        for (const p of this.conns.values())
            if (!p.inbound)
                outbound++;
        const free = Math.min(target - outbound, this.maxPeers - this.conns.size - this.dialling.size);
        if (free <= 0)
            return;
        const now = this.clock.now();
        const picks = this.book.candidates(now, (k, e) => this.noDial.has(k) || this.dialling.has(k) || this.isConnectedTo(k) || this.bans.isBanned(e.host, now) || this.isOwnAddress(e.host, e.port), free);
        for (const e of picks) {
            this.connect(e.host, e.port).catch((err) => {
                this.log.debug({ addr: addrKey(e.host, e.port), err: err.message }, 'dial failed');
            });
        }
    }
    isConnectedTo(key) {
        for (const p of this.conns.values()) {
            if (p.closed)
                continue;
            if (p.dialKey === key || p.address === key)
                return true;
            if (p.inbound && p.listenPort > 0 && addrKey(p.host, p.listenPort) === key)
                return true;
        }
        return false;
    }
    isOwnAddress(host, port) {
        if (port !== this.port)
            return false;
        const h = normalizeHost(host);
        return h === '127.0.0.1' || h === '::1' || h === 'localhost' || h === normalizeHost(this.opts.listenHost ?? '');
    }
    own(peer) {
        const p = this.conns.get(peer.id);
        return p === peer ? p : undefined;
    }
    async save() {
        try {
            if (this.opts.addrStore)
                await this.opts.addrStore.save(this.book.snapshot());
            if (this.opts.banStore)
                await this.opts.banStore.save(this.bans.list(this.clock.now()));
        }
        catch (e) {
            this.log.warn({ err: e }, 'saving peer addresses or bans failed');
        }
    }
    safe(f, what) {
        try {
            f();
        }
        catch (e) {
            this.log.error({ err: e }, `${what} threw`);
        }
    }
    withTimeout(p, ms, onLate) {
        return new Promise((resolve, reject) => {
            let done = false;
            const timer = this.clock.setTimeout(() => {
                if (done)
                    return;
                done = true;
                reject(new Error(`timed out after ${ms} ms`));
            }, ms);
            p.then((v) => {
                if (done)
                    return onLate(v);
                done = true;
                this.clock.clearTimeout(timer);
                resolve(v);
            }, (e) => {
                if (done)
                    return;
                done = true;
                this.clock.clearTimeout(timer);
                reject(e);
            });
        });
    }
}
function truncateUtf8(s, maxBytes) {
    const b = Buffer.from(s, 'utf8');
    if (b.length <= maxBytes)
        return s;
    return new TextDecoder().decode(b.subarray(0, maxBytes)).replace(/\uFFFD+$/, '');
}
//# sourceMappingURL=manager.js.map