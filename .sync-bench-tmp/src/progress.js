// Initial-sync progress: a cli-progress bar on a terminal, throttled pino lines otherwise; both with rate and ETA.
import cliProgress from 'cli-progress';
/** Rate over a sliding window of (time, value) samples; bounded memory. */
export class RateMeter {
    windowMs;
    maxSamples;
    samples = [];
    constructor(windowMs = 30_000, maxSamples = 256) {
        this.windowMs = windowMs;
        this.maxSamples = maxSamples;
    }
    add(value, now) {
        this.samples.push([now, value]);
        while (this.samples.length > this.maxSamples || (this.samples.length > 2 && now - this.samples[0][0] > this.windowMs)) {
            this.samples.shift();
        }
    }
    /** Units per second over the window; 0 with fewer than two samples or no elapsed time. */
    rate() {
        if (this.samples.length < 2)
            return 0;
        const [t0, v0] = this.samples[0];
        const [t1, v1] = this.samples[this.samples.length - 1];
        return t1 > t0 ? Math.max(0, ((v1 - v0) * 1000) / (t1 - t0)) : 0;
    }
    /** Seconds to reach `target` at the current rate; null when the rate is 0. */
    eta(target) {
        const last = this.samples[this.samples.length - 1];
        if (!last)
            return null;
        if (last[1] >= target)
            return 0;
        const r = this.rate();
        return r > 0 ? Math.ceil((target - last[1]) / r) : null;
    }
}
export function formatEta(sec) {
    if (sec === null || !Number.isFinite(sec))
        return '?';
    if (sec < 60)
        return `${Math.round(sec)}s`;
    if (sec < 3600)
        return `${Math.floor(sec / 60)}m${String(Math.round(sec % 60)).padStart(2, '0')}s`;
    return `${Math.floor(sec / 3600)}h${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}m`;
}
export class SyncProgressReporter {
    opts;
    meter = new RateMeter();
    bar = null;
    syncing = false;
    lastLog = -Infinity;
    tty;
    constructor(opts) {
        this.opts = opts;
        this.tty = opts.tty ?? Boolean(process.stderr.isTTY);
    }
    /** Feed one observation; returns the rate and ETA it computed. */
    update(p, now = Date.now()) {
        this.meter.add(p.blocks, now);
        const rate = this.meter.rate();
        const etaSec = this.meter.eta(p.targetHeight);
        const behind = p.blocks < p.targetHeight;
        if (behind && !this.syncing) {
            this.syncing = true;
            this.opts.logger.info({ from: p.blocks, target: p.targetHeight }, 'initial sync started');
            if (this.tty) {
                this.bar = new cliProgress.SingleBar({
                    format: 'sync [{bar}] {percentage}% | {value}/{total} blocks | headers {headers} | {rate} blk/s | ETA {etaText}',
                    stream: this.opts.stream ?? process.stderr,
                    hideCursor: null,
                    etaBuffer: 1,
                }, cliProgress.Presets.shades_classic);
                this.bar.start(p.targetHeight, p.blocks, { headers: p.headers, rate: '0.0', etaText: '?' });
            }
        }
        if (this.syncing) {
            const payload = { headers: p.headers, rate: rate.toFixed(1), etaText: formatEta(etaSec) };
            if (this.bar) {
                this.bar.setTotal(Math.max(p.targetHeight, 1));
                this.bar.update(p.blocks, payload);
            }
            else if (now - this.lastLog >= (this.opts.logEveryMs ?? 5000) || !behind) {
                this.lastLog = now;
                this.opts.logger.info({ blocks: p.blocks, headers: p.headers, target: p.targetHeight, rate: Number(rate.toFixed(2)), etaSec }, `sync ${p.blocks}/${p.targetHeight} blocks, ${rate.toFixed(1)} blk/s, ETA ${formatEta(etaSec)}`);
            }
            if (!behind)
                this.finish(p);
        }
        return { rate, etaSec: behind ? etaSec : 0 };
    }
    finish(p) {
        this.syncing = false;
        this.bar?.stop();
        this.bar = null;
        this.opts.logger.info({ height: p.blocks }, 'initial sync complete');
    }
    stop() {
        this.bar?.stop();
        this.bar = null;
        this.syncing = false;
    }
    get active() {
        return this.syncing;
    }
}
/** Polls the node's sync progress into a reporter; returns a stop function. */
export function watchSync(view, reporter, intervalMs = 1000) {
    const t = setInterval(() => reporter.update(view.status().sync), intervalMs);
    t.unref();
    return () => {
        clearInterval(t);
        reporter.stop();
    };
}
//# sourceMappingURL=progress.js.map