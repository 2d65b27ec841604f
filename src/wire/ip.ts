// IP addresses as the 16 bytes of ADDR entries: IPv6, IPv4 as v4-mapped ::ffff:a.b.c.d.

// Hand-rolled (no regex, no arrays): ADDR handling parses every address several times. The four
// octets land in `v4Parts` (module scratch, valid until the next call).
const v4Parts: number[] = [0, 0, 0, 0];

function scanV4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let part = 0;
  let digits = 0;
  let value = 0;
  let lead0 = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46; // a final '.' closes the last part
    if (c === 46) {
      if (digits === 0 || part > 3 || value > 255 || (lead0 && digits > 1)) return false;
      v4Parts[part++] = value;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) lead0 = c === 48;
      if (++digits > 3) return false;
      value = value * 10 + (c - 48);
    } else return false;
  }
  return part === 4;
}

function parseV4(s: string): number[] | null {
  return scanV4(s) ? v4Parts.slice() : null;
}

/**
 * The first octet of a canonical dotted-quad IPv4 literal (no brackets, no leading zeros: what
 * formatIp writes and normalizeHost leaves unchanged), or -1 for anything else. Allocates nothing:
 * the address book's fast path for the addresses every ADDR message carries.
 */
export function dottedV4First(s: string): number {
  return scanV4(s) ? v4Parts[0]! : -1;
}

/** 16 bytes for an IPv4 or IPv6 literal (brackets allowed), null for anything else (names, zones). */
export function parseIp(host: string): Uint8Array | null {
  let h = host;
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (scanV4(h)) {
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    out.set(v4Parts, 12);
    return out;
  }
  if (!h.includes(':') || h.includes('%')) return null;
  const lastColon = h.lastIndexOf(':');
  if (h.slice(lastColon + 1).includes('.')) {
    // Embedded IPv4 tail: rewrite it as two hex groups.
    const t = parseV4(h.slice(lastColon + 1));
    if (!t) return null;
    h = `${h.slice(0, lastColon + 1)}${((t[0]! << 8) | t[1]!).toString(16)}:${((t[2]! << 8) | t[3]!).toString(16)}`;
  }
  const halves = h.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  const rest = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !rest) return null;
  const groupsWanted = 8;
  let groups: number[];
  if (halves.length === 2) {
    const fill = groupsWanted - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    if (head.length !== groupsWanted) return null;
    groups = head;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/**
 * parseIp into `out` (16 bytes) instead of a new array: false, out untouched, where parseIp gives null.
 * ADDR encoding calls it per address (1000 per GETADDR answer), mostly dotted quads: no allocation then.
 */
export function parseIpInto(host: string, out: Uint8Array): boolean {
  if (scanV4(host)) {
    out.fill(0, 0, 10);
    out[10] = 0xff;
    out[11] = 0xff;
    for (let i = 0; i < 4; i++) out[12 + i] = v4Parts[i]!;
    return true;
  }
  const b = parseIp(host);
  if (!b) return false;
  out.set(b);
  return true;
}

/** Canonical text of 16 address bytes: dotted IPv4 when v4-mapped, else RFC 5952 IPv6. */
export function formatIp(b: Uint8Array): string {
  let mapped = b[10] === 0xff && b[11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (b[i] !== 0) mapped = false;
  if (mapped) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  // Longest run of ≥ 2 zero groups (first on a tie) becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** 0.0.0.0, ::, multicast and broadcast are never dialled. */
export function isUnroutable(h: string): boolean {
  const first = dottedV4First(h); // the common case without a regex
  if (first >= 0) return isUnroutableV4(h, first);
  return h === '::' || /^ff/i.test(h);
}

/** isUnroutable for a dotted quad whose first octet (dottedV4First) is known: multicast 224-239, 0.0.0.0, broadcast. */
export function isUnroutableV4(h: string, first: number): boolean {
  return (first >= 224 && first <= 239) || h === '0.0.0.0' || h === '255.255.255.255';
}

/** Host text without the v4-mapped prefix Node reports on dual-stack sockets. */
export function normalizeHost(host: string): string {
  if (scanV4(host)) return host; // a canonical dotted quad (every ADDR entry) is its own normal form
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const m = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i.exec(h);
  return (m ? m[1]! : h).toLowerCase();
}
