import { drawLatency } from './rng.js';
const newDirection = () => ({ busyUntil: 0, lastArrive: 0, inflight: [], inflightHead: 0, buffered: 0, drainArmed: false });
/** Socket-like error with a code; no stack (thousands of failed dials would pay for stack capture). */
function netError(code, message) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const e = Object.assign(new Error(message), { code });
    Error.stackTraceLimit = limit;
    return e;
}
class MemConnection {
    net;
    localHost;
    remoteAddress;
    remotePort;
    latency;
    other;
    out = newDirection();
    closed = false;
    /** No data moves either way any more (reset, or closed). */
    dead = false;
    /** close() called: no more writes; the FIN follows the queued data. */
    ending = false;
    dataCb = null;
    closeCb = null;
    drainCb = null;
    pending = [];
    flushing = false;
    closeErr;
    constructor(net, localHost, remoteAddress, remotePort, latency) {
        this.net = net;
        this.localHost = localHost;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.latency = latency;
    }
    get bufferedBytes() {
        this.net.retire(this.out);
        return this.out.buffered;
    }
    write(data) {
        if (this.dead || this.ending)
            return false;
        this.net.send(this, data);
        const ok = this.bufferedBytes <= this.net.highWater;
        if (!ok)
            this.net.armDrain(this);
        return ok;
    }
    onData(cb) {
        this.dataCb = cb;
        // Held data is handed over asynchronously, as a socket's 'data' events are: the owner finishes
        // its own setup (e.g. sending VERSION) first.
        if (this.pending.length > 0 && !this.flushing) {
            this.flushing = true;
            queueMicrotask(() => {
                this.flushing = false;
                const held = this.pending;
                this.pending = [];
                if (!this.dead)
                    for (const c of held)
                        this.dataCb?.(c);
            });
        }
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
        if (this.dead || this.ending)
            return;
        this.ending = true;
        this.net.fin(this);
    }
    destroy() {
        if (this.dead)
            return;
        this.net.reset(this, 'destroyed');
    }
    /** Delivery from the other end. */
    receive(chunk) {
        if (this.dead)
            return;
        if (this.dataCb && !this.flushing)
            this.dataCb(chunk);
        else
            this.pending.push(chunk);
    }
    drained() {
        if (!this.closed)
            this.drainCb?.();
    }
    /** Ends this side once; the close callback runs in this same virtual instant. */
    finish(err) {
        if (this.closed)
            return;
        this.closed = true;
        this.dead = true;
        this.closeErr = err;
        this.pending = [];
        this.net.forget(this);
        this.closeCb?.(err);
    }
}
class MemTransport {
    net;
    host;
    constructor(net, host) {
        this.net = net;
        this.host = host;
    }
    listen(_host, port, onConnection) {
        return this.net.listen(this.host, port, onConnection);
    }
    connect(host, port) {
        return this.net.connect(this.host, host, port);
    }
}
/** The simulated internet: hosts, listeners, links; every event goes through the virtual clock. */
export class MemoryNetwork {
    clock;
    rng;
    params;
    counters = { bytes: 0, chunks: 0, retransmits: 0, connects: 0, refused: 0, timeouts: 0, resets: 0 };
    highWater;
    observer = null;
    rtoMin;
    connectTimeout;
    resolution;
    listeners = new Map();
    conns = new Map();
    /** host → its listener keys. */
    ports = new Map();
    down = new Set();
    latencies = new Map();
    nextPort = new Map();
    lossRng;
    cut = null;
    constructor(clock, rng, params) {
        this.clock = clock;
        this.rng = rng;
        this.params = params;
        this.rtoMin = params.rtoMinMs ?? 200;
        this.connectTimeout = params.connectTimeoutMs ?? 3000;
        this.highWater = params.highWater ?? 64 * 1024;
        this.resolution = params.resolutionMs ?? 1;
        this.lossRng = rng.fork('loss');
    }
    /** The Transport a node on `host` uses. */
    transport(host) {
        this.down.delete(host);
        return new MemTransport(this, host);
    }
    /** Base one-way latency of a host pair, ms: drawn once from the pair's own stream (order of use does not matter). */
    latency(a, b) {
        const key = a < b ? `${a}|${b}` : `${b}|${a}`;
        let ms = this.latencies.get(key);
        if (ms === undefined) {
            ms = Math.max(0, drawLatency(this.rng.fork(key), this.params.latency));
            this.latencies.set(key, ms);
        }
        return ms;
    }
    /** Takes a host off the network: its listeners go, its connections are reset. */
    hostDown(host) {
        this.down.add(host);
        for (const key of this.ports.get(host) ?? [])
            this.listeners.delete(key);
        this.ports.delete(host);
        for (const c of [...(this.conns.get(host) ?? [])])
            this.reset(c, 'host down');
        this.conns.delete(host);
    }
    isDown(host) {
        return this.down.has(host);
    }
    /** Cuts every link for which rule(a, b) holds (null heals): live connections across it are reset. */
    setCut(rule) {
        this.cut = rule;
        if (!rule)
            return;
        for (const set of this.conns.values()) {
            for (const c of [...set])
                if (!c.dead && rule(c.localHost, c.remoteAddress))
                    this.reset(c, 'link cut');
        }
    }
    isCut(a, b) {
        return this.cut !== null && this.cut(a, b);
    }
    /** Live connections (both ends counted). */
    get connectionCount() {
        let n = 0;
        for (const s of this.conns.values())
            n += s.size;
        return n;
    }
    /** Live connections as (local host, remote host), one per end. */
    links() {
        const out = [];
        for (const set of this.conns.values())
            for (const c of set)
                if (!c.dead)
                    out.push([c.localHost, c.remoteAddress]);
        return out;
    }
    // ---- used by MemTransport / MemConnection ----
    listen(host, port, onConnection) {
        if (this.down.has(host))
            return Promise.reject(netError('EADDRNOTAVAIL', `host ${host} is down`));
        const p = port === 0 ? this.ephemeral(host) : port;
        const key = `${host}:${p}`;
        if (this.listeners.has(key))
            return Promise.reject(netError('EADDRINUSE', `${key} in use`));
        this.listeners.set(key, onConnection);
        let mine = this.ports.get(host);
        if (!mine)
            this.ports.set(host, (mine = new Set()));
        mine.add(key);
        return Promise.resolve({
            port: p,
            close: () => {
                if (this.listeners.get(key) === onConnection) {
                    this.listeners.delete(key);
                    this.ports.get(host)?.delete(key);
                }
                return Promise.resolve();
            },
        });
    }
    connect(from, host, port) {
        return new Promise((resolve, reject) => {
            const now = this.clock.elapsed();
            if (this.down.has(from))
                return reject(netError('ENETDOWN', `host ${from} is down`));
            const lat = this.latency(from, host);
            if (this.down.has(host) || this.isCut(from, host)) {
                this.counters.timeouts++;
                this.clock.at(now + this.connectTimeout, () => reject(netError('ETIMEDOUT', `connect ${host}:${port} timed out`)));
                return;
            }
            // SYN reaches the server after one latency; the client learns the outcome one latency later.
            this.clock.at(this.quantize(now + lat), () => {
                const accept = this.listeners.get(`${host}:${port}`);
                if (!accept || this.down.has(from) || this.isCut(from, host)) {
                    this.counters.refused++;
                    this.clock.at(this.quantize(this.clock.elapsed() + lat), () => reject(netError('ECONNREFUSED', `connect ${host}:${port} refused`)));
                    return;
                }
                const clientPort = this.ephemeral(from);
                const client = new MemConnection(this, from, host, port, lat);
                const server = new MemConnection(this, host, from, clientPort, lat);
                client.other = server;
                server.other = client;
                this.track(client);
                this.track(server);
                this.counters.connects++;
                accept(server);
                this.clock.at(this.quantize(this.clock.elapsed() + lat), () => {
                    if (client.dead)
                        reject(netError('ECONNRESET', `connect ${host}:${port} reset`));
                    else
                        resolve(client);
                });
            });
        });
    }
    send(c, data) {
        const now = this.clock.elapsed();
        const d = c.out;
        const size = data.length;
        const txStart = Math.max(now, d.busyUntil);
        const txEnd = this.params.bandwidth > 0 ? txStart + (size * 1000) / this.params.bandwidth : txStart;
        d.busyUntil = txEnd;
        d.inflight.push(txEnd, size);
        d.buffered += size;
        let arrive = txEnd + c.latency;
        if (this.params.loss > 0 && this.lossRng.chance(this.params.loss)) {
            this.counters.retransmits++;
            const rto = Math.max(this.rtoMin, 2 * c.latency);
            arrive += rto;
            // Repeated loss backs off; bounded so a chunk always arrives.
            for (let k = 1; k < 6 && this.lossRng.chance(this.params.loss); k++)
                arrive += rto * 2 ** k;
        }
        // A stream delivers in order: nothing overtakes a delayed chunk.
        arrive = Math.max(this.quantize(arrive), d.lastArrive);
        d.lastArrive = arrive;
        const to = c.other;
        this.clock.at(arrive, () => {
            if (to.dead || c.dead)
                return;
            this.counters.bytes += size;
            this.counters.chunks++;
            this.observer?.(c.localHost, to.localHost, data);
            to.receive(data);
        });
    }
    /** Graceful close: the FIN follows the data already queued; both ends close when it lands. */
    fin(c) {
        const at = Math.max(this.quantize(this.clock.elapsed() + c.latency), c.out.lastArrive);
        this.clock.at(at, () => {
            c.other.finish();
            c.finish();
        });
    }
    /** Abort: this end closes now, queued data is dropped, the other end sees a reset one latency later. */
    reset(c, why) {
        if (c.dead)
            return;
        this.counters.resets++;
        const other = c.other;
        const err = netError('ECONNRESET', why);
        c.dead = true; // drop anything in flight both ways from this instant
        this.clock.at(this.clock.elapsed(), () => c.finish());
        this.clock.at(this.quantize(this.clock.elapsed() + c.latency), () => other.finish(err));
    }
    /** Moves chunks whose transmission has ended out of the buffered count. */
    retire(d) {
        const now = this.clock.elapsed();
        while (d.inflightHead < d.inflight.length && d.inflight[d.inflightHead] <= now) {
            d.buffered -= d.inflight[d.inflightHead + 1];
            d.inflightHead += 2;
        }
        if (d.inflightHead > 64 && d.inflightHead * 2 > d.inflight.length) {
            d.inflight = d.inflight.slice(d.inflightHead);
            d.inflightHead = 0;
        }
    }
    armDrain(c) {
        if (c.out.drainArmed)
            return;
        c.out.drainArmed = true;
        this.clock.at(c.out.busyUntil, () => {
            c.out.drainArmed = false;
            c.drained();
        });
    }
    forget(c) {
        this.conns.get(c.localHost)?.delete(c);
    }
    track(c) {
        let set = this.conns.get(c.localHost);
        if (!set)
            this.conns.set(c.localHost, (set = new Set()));
        set.add(c);
    }
    ephemeral(host) {
        const p = this.nextPort.get(host) ?? 40000;
        this.nextPort.set(host, p >= 65000 ? 40000 : p + 1);
        return p;
    }
    quantize(t) {
        return Math.ceil(t / this.resolution) * this.resolution;
    }
}
//# sourceMappingURL=transport.js.map