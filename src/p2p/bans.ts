// Banned hosts: bounded, expiring, keyed by host (not port — a banned node can pick any port).
import { normalizeHost } from '../wire/ip.js';

export interface BanEntry {
  host: string;
  /** Clock ms when the ban ends. */
  until: number;
  reason: string;
}

export class BanList {
  private readonly bans = new Map<string, BanEntry>();

  constructor(private readonly maxEntries = 10_000) {}

  ban(host: string, until: number, reason: string): void {
    const h = normalizeHost(host);
    this.bans.delete(h); // re-insert: Map order is "oldest first" for eviction
    this.bans.set(h, { host: h, until, reason });
    while (this.bans.size > this.maxEntries) {
      const oldest = this.bans.keys().next().value as string;
      this.bans.delete(oldest);
    }
  }

  unban(host: string): boolean {
    return this.bans.delete(normalizeHost(host));
  }

  isBanned(host: string, now: number): boolean {
    const h = normalizeHost(host);
    const e = this.bans.get(h);
    if (!e) return false;
    if (e.until <= now) {
      this.bans.delete(h);
      return false;
    }
    return true;
  }

  /** Drops expired entries; returns the live ones. */
  list(now: number): BanEntry[] {
    for (const [h, e] of this.bans) if (e.until <= now) this.bans.delete(h);
    return [...this.bans.values()].map((e) => ({ ...e }));
  }

  get size(): number {
    return this.bans.size;
  }

  load(entries: readonly BanEntry[], now: number): void {
    for (const e of entries) if (e.until > now) this.ban(e.host, e.until, e.reason);
  }
}
