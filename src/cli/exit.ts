// The documented exit codes of `bloomcoin` (docs/operations.md), one per kind of failure an operator can fix.
import { CommanderError } from 'commander';
import { BloomError, type ErrorCode } from '../errors.js';

export const EXIT = {
  ok: 0,
  /** A bad option, config value or command line (commander's errors included). */
  usage: 1,
  /** A P2P or API port is taken. */
  portInUse: 3,
  /** The data dir is not a directory or not writable. */
  dataDir: 4,
  /** Another bloomcoin process holds the data dir. */
  locked: 5,
  /** The node's API is unreachable or refused the request. */
  api: 6,
  /** The API would be reachable beyond this machine without a credential (--api-host without --api-auth). */
  unsafe: 7,
  /** Anything unexpected (a bug: the message carries the stack). */
  internal: 70,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  'port-in-use': EXIT.portInUse,
  'api-listen': EXIT.portInUse,
  'data-dir-not-directory': EXIT.dataDir,
  'permission-denied': EXIT.dataDir,
  'data-dir-locked': EXIT.locked,
  'api-unreachable': EXIT.api,
  'http-error': EXIT.api,
  unauthorized: EXIT.api,
  'stop-timeout': EXIT.api,
  'api-auth-required': EXIT.unsafe,
};

export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT.usage;
  if (e instanceof BloomError) return BY_CODE[e.code] ?? EXIT.usage;
  return EXIT.internal;
}
