// Network groups: the unit an attacker pays for (Bitcoin Core's GetGroup, IPv4 /16, IPv6 /32).
import { dottedV4First, normalizeHost, parseIp } from '../wire/ip.js';

/**
 * IPv4 /16 and IPv6 /32, as Core groups routable addresses. Loopback is grouped like any IPv4 (127.a.b.*
 * by 127.a), so tests can play several groups from one machine; names (seeds) are a group of their own.
 */
export function netGroup(host: string): string {
  // a dotted quad's /16 is its first two octets as written: no parse into bytes (the address book's hot path)
  if (dottedV4First(host) >= 0) return host.slice(0, host.indexOf('.', host.indexOf('.') + 1));
  const b = parseIp(host);
  if (!b) return `name:${normalizeHost(host)}`;
  const v4 = b[10] === 0xff && b[11] === 0xff && b.slice(0, 10).every((x) => x === 0);
  if (v4) return `${b[12]}.${b[13]}`;
  return [...b.slice(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join('') + '::/32';
}

/** A persisted source group back to a host netGroup maps onto the same group ("a.b" → "a.b.0.0"). */
export function sourceHost(group: string): string {
  if (/^\d+\.\d+$/.test(group)) return `${group}.0.0`;
  if (group.endsWith('::/32')) return `${group.slice(0, 4)}:${group.slice(4, 8)}::`;
  return group.startsWith('name:') ? group.slice(5) : group;
}
