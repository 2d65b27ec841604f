// One connection's state machine: framing, handshake, accounting, send cap, ping. Policy lives in the manager.
import { randomBytes } from 'node:crypto';
import { ProtocolError } from '../errors.js';
import { decodeMessage, encodeMessageFrame, typeName } from '../wire/codec.js';
import { FRAME_HEADER_SIZE, FrameDecoder } from '../wire/frame.js';
import { MsgType } from '../wire/types.js';
import { addrKey } from './addrbook.js';
export class PeerConn {
    id;
    conn;
    inbound;
    hostApi;
    cfg;
    address;
    host;
    version = 0;
    height = 0;
    chainWork = 0n;
    userAgent = '';
    listenPort = 0;
    lastSeen;
    connectedAt;
    phaseState = null;
    coherence = 0;
    bytesIn = 0;
    bytesOut = 0;
    msgsIn = 0;
    msgsOut = 0;
    score = 0;
    pingMs = null;
    /** The remote's VERSION nonce, when it sent the extension. */
    remoteNonce = null;
    gotVersion = false;
    gotVerack = false;
    closed = false;
    closeReason = '';
    /** Set by the manager when it sent GETADDR and awaits the ADDR answer. */
    getaddrPending = false;
    getaddrAnswered = false;
    pingNonce = null;
    pingSentAt = 0;
    /** For outbound peers: the "host:port" we dialled. */
    dialKey;
    _handshaken = false;
    decoder = new FrameDecoder();
    seen = new Set();
    handshakeTimer = null;
    constructor(id, conn, inbound, hostApi, cfg, dialKey = null) {
        this.id = id;
        this.conn = conn;
        this.inbound = inbound;
        this.hostApi = hostApi;
        this.cfg = cfg;
        this.host = conn.remoteAddress;
        this.address = addrKey(conn.remoteAddress, conn.remotePort);
        this.connectedAt = hostApi.clock.now();
        this.lastSeen = this.connectedAt;
        this.dialKey = dialKey;
    }
    get handshaken() {
        return this._handshaken;
    }
    /** Bytes written but not yet flushed to the network. */
    get queuedBytes() {
        return this.conn.bufferedBytes;
    }
    /** Wires the connection, sends our VERSION and arms the handshake timeout. */
    start() {
        this.conn.onData((chunk) => this.onData(chunk));
        this.conn.onClose((err) => this.close(err ? `socket: ${err.message}` : 'remote closed'));
        this.handshakeTimer = this.hostApi.clock.setTimeout(() => {
            this.handshakeTimer = null;
            if (!this._handshaken)
                this.close('handshake-timeout');
        }, this.cfg.handshakeTimeoutMs);
        this.send(this.hostApi.versionMessage());
    }
    send(msg) {
        let frame;
        try {
            frame = encodeMessageFrame(msg);
        }
        catch (e) {
            this.hostApi.log.error({ err: e, type: typeName(msg.type) }, 'cannot encode outgoing message');
            return false;
        }
        return this.sendFrame(msg.type, frame);
    }
    /** Queues an encoded frame; over the cap the peer is dropped instead of buffered without bound. */
    sendFrame(type, frame) {
        if (this.closed)
            return false;
        if (this.conn.bufferedBytes + frame.length > this.cfg.sendQueueCap) {
            this.close('send-queue-full');
            return false;
        }
        this.conn.write(frame);
        this.bytesOut += frame.length;
        this.msgsOut++;
        this.hostApi.countOut(type, frame.length);
        return true;
    }
    hasSeen(key) {
        return this.seen.has(key);
    }
    markSeen(key) {
        if (this.seen.has(key))
            return;
        this.seen.add(key);
        if (this.seen.size > this.cfg.seenCap)
            this.seen.delete(this.seen.values().next().value);
    }
    /** Sends a PING with a fresh nonce; the PONG sets pingMs. */
    ping(now) {
        this.pingNonce = randomBytes(8).readBigUInt64LE(0);
        this.pingSentAt = now;
        this.send({ type: MsgType.PING, nonce: this.pingNonce });
    }
    /** Idempotent; `graceful` flushes queued bytes first (used at shutdown). */
    close(reason, graceful = false) {
        if (this.closed)
            return;
        this.closed = true;
        this.closeReason = reason;
        if (this.handshakeTimer !== null)
            this.hostApi.clock.clearTimeout(this.handshakeTimer);
        this.handshakeTimer = null;
        if (graceful)
            this.conn.close();
        else
            this.conn.destroy();
        this.hostApi.closed(this, reason);
    }
    onData(chunk) {
        if (this.closed)
            return;
        this.bytesIn += chunk.length;
        let frames;
        try {
            frames = this.decoder.push(chunk);
        }
        catch (e) {
            const code = e instanceof ProtocolError ? e.code : 'frame-error';
            this.hostApi.misbehave(this, 100, code);
            this.close(code);
            return;
        }
        for (const f of frames) {
            if (this.closed)
                return;
            this.onFrame(f);
        }
    }
    onFrame(f) {
        this.msgsIn++;
        this.lastSeen = this.hostApi.clock.now();
        this.hostApi.countIn(f.type, FRAME_HEADER_SIZE + f.payload.length);
        let msg;
        try {
            msg = decodeMessage(f.type, f.payload);
        }
        catch (e) {
            if (e instanceof ProtocolError)
                this.hostApi.badMessage(this, f.type, e);
            else
                this.hostApi.log.error({ err: e }, 'decoder threw a non-protocol error'); // a bug, never the peer's crash
            return;
        }
        switch (msg.type) {
            case MsgType.VERSION:
                this.onVersion(msg);
                return;
            case MsgType.VERACK:
                if (!this.gotVersion || this.gotVerack) {
                    this.hostApi.misbehave(this, 10, 'unexpected-verack');
                    return;
                }
                this.gotVerack = true;
                this.maybeReady();
                return;
        }
        if (!this._handshaken) {
            this.hostApi.misbehave(this, 10, 'before-handshake');
            return;
        }
        if (msg.type === MsgType.PING) {
            this.send({ type: MsgType.PONG, nonce: msg.nonce });
        }
        else if (msg.type === MsgType.PONG && this.pingNonce !== null && msg.nonce === this.pingNonce) {
            this.pingMs = this.lastSeen - this.pingSentAt;
            this.pingNonce = null;
        }
        this.hostApi.message(this, msg);
    }
    onVersion(msg) {
        if (this.gotVersion) {
            this.hostApi.misbehave(this, 10, 'duplicate-version');
            return;
        }
        this.gotVersion = true;
        this.version = msg.version;
        this.height = msg.height;
        this.listenPort = msg.port <= 0xffff ? msg.port : 0;
        if (msg.ext) {
            this.remoteNonce = msg.ext.nonce;
            this.chainWork = msg.ext.chainWork;
            this.userAgent = msg.ext.userAgent;
        }
        const refusal = this.hostApi.checkVersion(this, msg);
        if (refusal !== null) {
            this.close(refusal);
            return;
        }
        this.send({ type: MsgType.VERACK });
        this.maybeReady();
    }
    maybeReady() {
        if (this._handshaken || !this.gotVersion || !this.gotVerack || this.closed)
            return;
        this._handshaken = true;
        if (this.handshakeTimer !== null)
            this.hostApi.clock.clearTimeout(this.handshakeTimer);
        this.handshakeTimer = null;
        this.hostApi.handshakeDone(this);
    }
}
//# sourceMappingURL=peer.js.map