// The one parser and formatter of "host:port" addresses (IPv6 in brackets, as in URLs and Bitcoin Core's -seednode).
import { InputError } from './errors.js';

export interface HostPort {
  host: string;
  port: number;
}

const BRACKETED = /^\[([^\]]+)\](?::(\d*))?$/;
const PLAIN = /^([^:\s[\]]+)(?::(\d*))?$/;

/**
 * Parses "host:port" or "[v6]:port"; with `defaultPort`, also a bare "host" or "[v6]". Port 1–65535.
 * Throws InputError `bad-address` otherwise (an unbracketed IPv6 address is rejected: its port is ambiguous).
 */
export function parseHostPort(s: string, defaultPort?: number): HostPort {
  const m = typeof s === 'string' ? (BRACKETED.exec(s) ?? PLAIN.exec(s)) : null;
  if (!m) {
    const hint = typeof s === 'string' && s.split(':').length > 2 ? ' (put IPv6 addresses in brackets, e.g. [::1]:7618)' : '';
    throw new InputError('bad-address', `expected host:port, got ${JSON.stringify(s)}${hint}`);
  }
  const portText = m[2];
  if (portText === undefined && defaultPort !== undefined) return { host: m[1]!, port: defaultPort };
  const port = portText ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 0xffff) {
    throw new InputError('bad-address', `expected host:port with a port in 1-65535, got ${JSON.stringify(s)}`);
  }
  return { host: m[1]!, port };
}

/** "host:port", with IPv6 hosts in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
