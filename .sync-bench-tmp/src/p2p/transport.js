// The only way the peer layer reaches the network: TCP here, an in-memory network in the simulator.
import net from 'node:net';
import { normalizeHost } from '../wire/ip.js';
/** Wraps a connected node:net socket. */
class TcpConnection {
    socket;
    remoteAddress;
    remotePort;
    dataCb = null;
    closeCb = null;
    drainCb = null;
    pendingData = [];
    closed = false;
    closeErr;
    constructor(socket) {
        this.socket = socket;
        this.remoteAddress = normalizeHost(socket.remoteAddress ?? '');
        this.remotePort = socket.remotePort ?? 0;
        socket.setNoDelay(true);
        socket.on('data', (buf) => {
            // A plain Uint8Array view: no copy, and no Buffer semantics leaking upward.
            const chunk = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
            if (this.dataCb)
                this.dataCb(chunk);
            else
                this.pendingData.push(chunk);
        });
        socket.on('drain', () => this.drainCb?.());
        socket.on('error', (err) => {
            this.closeErr ??= err;
        });
        socket.on('close', () => {
            this.closed = true;
            this.closeCb?.(this.closeErr);
        });
        // Half-close from the remote: finish our side too (no half-open peers).
        socket.on('end', () => socket.end());
    }
    get bufferedBytes() {
        return this.socket.writableLength;
    }
    write(data) {
        if (this.closed || this.socket.destroyed)
            return false;
        return this.socket.write(data);
    }
    onData(cb) {
        this.dataCb = cb;
        const held = this.pendingData;
        this.pendingData = [];
        for (const c of held)
            cb(c);
    }
    onClose(cb) {
        this.closeCb = cb;
        if (this.closed)
            queueMicrotask(() => cb(this.closeErr));
    }
    onDrain(cb) {
        this.drainCb = cb;
    }
    close() {
        if (this.socket.destroyed)
            return;
        this.socket.end();
        // A peer that never reads would keep a half-closed socket forever: bound the flush.
        const t = setTimeout(() => this.socket.destroy(), 5_000);
        t.unref();
        this.socket.once('close', () => clearTimeout(t));
    }
    destroy() {
        this.socket.destroy();
    }
}
/** Real TCP via node:net, Nagle off. */
export class TcpTransport {
    listen(host, port, onConnection) {
        return new Promise((resolve, reject) => {
            const server = net.createServer((socket) => {
                if (!socket.remoteAddress) {
                    socket.destroy(); // already gone
                    return;
                }
                onConnection(new TcpConnection(socket));
            });
            server.once('error', reject);
            server.listen({ host, port, exclusive: true }, () => {
                server.off('error', reject);
                server.on('error', () => undefined); // accept errors (EMFILE…) must not crash the node
                const addr = server.address();
                resolve({
                    port: addr.port,
                    close: () => new Promise((res) => server.close(() => res())),
                });
            });
        });
    }
    connect(host, port) {
        return new Promise((resolve, reject) => {
            const socket = net.connect({ host, port });
            const onError = (err) => {
                socket.destroy();
                reject(err);
            };
            socket.once('error', onError);
            socket.once('connect', () => {
                socket.off('error', onError);
                resolve(new TcpConnection(socket));
            });
        });
    }
}
//# sourceMappingURL=transport.js.map