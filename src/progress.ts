// Initial-sync progress: a cli-progress bar on a terminal, throttled pino lines otherwise; both with rate and ETA.
import cliProgress from 'cli-progress';
import type { Logger } from './log.js';
import type { NodeView, SyncStatus } from './api/types.js';
import { RateMeter } from './rate.js';

export function formatEta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '?';
  if (sec < 60) return `${Math.round(sec)}s`;
  if (sec < 3600) return `${Math.floor(sec / 60)}m${String(Math.round(sec % 60)).padStart(2, '0')}s`;
  return `${Math.floor(sec / 3600)}h${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ReporterOptions {
  logger: Logger;
  /** Draw a bar (default: stderr is a terminal). */
  tty?: boolean;
  stream?: NodeJS.WritableStream;
  /** Least time between log lines when not on a terminal. */
  logEveryMs?: number;
}

type Progress = Pick<SyncStatus, 'headers' | 'blocks' | 'targetHeight'>;

export class SyncProgressReporter {
  private readonly meter = new RateMeter();
  private bar: cliProgress.SingleBar | null = null;
  private syncing = false;
  private lastLog = -Infinity;
  private readonly tty: boolean;

  constructor(private readonly opts: ReporterOptions) {
    this.tty = opts.tty ?? Boolean(process.stderr.isTTY);
  }

  /** Feed one observation; returns the rate and ETA it computed. */
  update(p: Progress, now = Date.now()): { rate: number; etaSec: number | null } {
    this.meter.add(p.blocks, now);
    const rate = this.meter.rate();
    const etaSec = this.meter.eta(p.targetHeight);
    const behind = p.blocks < p.targetHeight;
    if (behind && !this.syncing) {
      this.syncing = true;
      this.opts.logger.info({ from: p.blocks, target: p.targetHeight }, 'initial sync started');
      if (this.tty) {
        this.bar = new cliProgress.SingleBar(
          {
            format: 'sync [{bar}] {percentage}% | {value}/{total} blocks | headers {headers} | {rate} blk/s | ETA {etaText}',
            stream: this.opts.stream ?? process.stderr,
            hideCursor: null,
            etaBuffer: 1,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(p.targetHeight, p.blocks, { headers: p.headers, rate: '0.0', etaText: '?' });
      }
    }
    if (this.syncing) {
      const payload = { headers: p.headers, rate: rate.toFixed(1), etaText: formatEta(etaSec) };
      if (this.bar) {
        this.bar.setTotal(Math.max(p.targetHeight, 1));
        this.bar.update(p.blocks, payload);
      } else if (now - this.lastLog >= (this.opts.logEveryMs ?? 5000) || !behind) {
        this.lastLog = now;
        this.opts.logger.info(
          { blocks: p.blocks, headers: p.headers, target: p.targetHeight, rate: Number(rate.toFixed(2)), etaSec },
          `sync ${p.blocks}/${p.targetHeight} blocks, ${rate.toFixed(1)} blk/s, ETA ${formatEta(etaSec)}`,
        );
      }
      if (!behind) this.finish(p);
    }
    return { rate, etaSec: behind ? etaSec : 0 };
  }

  private finish(p: Progress): void {
    this.syncing = false;
    this.bar?.stop();
    this.bar = null;
    this.opts.logger.info({ height: p.blocks }, 'initial sync complete');
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
    this.syncing = false;
  }

  get active(): boolean {
    return this.syncing;
  }
}

/** Polls the node's sync progress into a reporter; returns a stop function. */
export function watchSync(view: Pick<NodeView, 'status'>, reporter: SyncProgressReporter, intervalMs = 1000): () => void {
  const t = setInterval(() => reporter.update(view.status().sync), intervalMs);
  t.unref();
  return () => {
    clearInterval(t);
    reporter.stop();
  };
}
