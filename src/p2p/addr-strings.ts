// A string table shared by many address books (the simulator's thousands): every book holds the same
// canonical copy of a host and of its "host:port" key. Interning only shares copies: strings compare
// by content, so no answer of a book depends on it.
//
// A canonical dotted quad (what every ADDR entry decodes to) is found by its 32-bit value and port in a
// numeric open-addressing table: a lookup neither builds the key string nor hashes a fresh string (a
// Map<string, string> did both for every new book entry, 13 % of a 10,000-node start-up).

/** Canonical copies of a dotted quad and its key, by number. */
export interface V4Strings {
  /** Index of (host, port); `host` must be a canonical dotted quad (dottedV4First(host) >= 0). */
  find(host: string, port: number): number;
  host(i: number): string;
  /** `${host}:${port}`, the address book's key of the pair. */
  key(i: number): string;
}

/** A canonical copy of any string, optionally with the dotted-quad fast path. */
export type AddrIntern = ((s: string) => string) & { readonly v4?: V4Strings };

/** murmur3's finaliser. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 32-bit value of a canonical dotted quad (no checks: the caller validated it). */
function v4Value(s: string): number {
  let ip = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      ip = (ip << 8) | o;
      o = 0;
    } else o = o * 10 + (c - 48);
  }
  return ((ip << 8) | o) | 0;
}

class V4Table implements V4Strings {
  private ips = new Int32Array(1024);
  private ports = new Int32Array(1024);
  private readonly hosts: string[] = [];
  private readonly keys: string[] = [];
  /** Open addressing, linear probing: index + 1 per cell, 0 empty. */
  private cells = new Int32Array(2048);

  constructor(private readonly str: (s: string) => string) {}

  find(host: string, port: number): number {
    const ip = v4Value(host);
    const mask = this.cells.length - 1;
    for (let c = fmix32(ip ^ Math.imul(port, 0x9e3779b1)) & mask; ; c = (c + 1) & mask) {
      const i = this.cells[c]! - 1;
      if (i < 0) return this.insert(c, ip, port, host);
      if (this.ips[i] === ip && this.ports[i] === port) return i;
    }
  }

  host(i: number): string {
    return this.hosts[i]!;
  }

  key(i: number): string {
    return this.keys[i]!;
  }

  private insert(cell: number, ip: number, port: number, host: string): number {
    const i = this.hosts.length;
    if (i >= this.ips.length) {
      const ips = new Int32Array(i * 2);
      ips.set(this.ips);
      this.ips = ips;
      const ports = new Int32Array(i * 2);
      ports.set(this.ports);
      this.ports = ports;
    }
    this.ips[i] = ip;
    this.ports[i] = port;
    // the same copies the generic table hands out, so a host interned either way is one string
    this.hosts.push(this.str(host));
    this.keys.push(this.str(`${host}:${port}`));
    this.cells[cell] = i + 1;
    if (this.hosts.length * 2 > this.cells.length) this.rehash();
    return i;
  }

  private rehash(): void {
    const cells = new Int32Array(this.cells.length * 2);
    const mask = cells.length - 1;
    for (let i = 0; i < this.hosts.length; i++) {
      let c = fmix32(this.ips[i]! ^ Math.imul(this.ports[i]!, 0x9e3779b1)) & mask;
      while (cells[c] !== 0) c = (c + 1) & mask;
      cells[c] = i + 1;
    }
    this.cells = cells;
  }
}

/** A shared table: a Map for any string, the numeric table for dotted quads with a port. */
export function addrStringTable(): AddrIntern {
  const t = new Map<string, string>();
  const str = (s: string): string => {
    const c = t.get(s);
    if (c !== undefined) return c;
    t.set(s, s);
    return s;
  };
  return Object.assign(str, { v4: new V4Table(str) });
}
