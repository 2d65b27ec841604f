// Every error code in one table, each with its verdict (anchors: btcd blockchain/error.go, bcoin VerifyError).
//
// Two kinds of entry share the table:
// - an *offence* (e.g. `sync-block-invalid`, `wrong-magic`) is what a peer is scored for: `points` are its
//   misbehaviour points (BAN_THRESHOLD = 100);
// - a *cause* (e.g. `high-hash`, `truncated`) says why something was rejected: `points` 0, and `peerFault`
//   decides whether the offence that carries it costs the sender its points at all.
// Sections are per layer, blank line between them, so additions from different areas merge cleanly.

/** The verdict a code carries; callers ask it instead of matching sets of strings. */
export interface Verdict {
  /** The layer whose section lists the code. */
  readonly layer: Layer;
  /** Whether the sender caused it (false: clock skew, honest races, our own state, operator input). */
  readonly peerFault: boolean;
  /** Misbehaviour points when this code is the offence a peer is scored for. */
  readonly points: number;
  /** A body error a relay could have caused (the header itself stays valid, not marked invalid). */
  readonly mutable?: true;
  /** A tx rejection that will not change: remember the txid so it is not checked again. */
  readonly final?: true;
  /** A tx rejection only a broken or hostile relayer causes (nonce races and a full pool are honest). */
  readonly txFault?: true;
}

export type Layer = 'wire' | 'p2p' | 'chain' | 'mempool' | 'sync' | 'gossip' | 'core' | 'input';

type Entry = Omit<Verdict, 'layer'>;
const cause: Entry = { peerFault: true, points: 0 };
const ours: Entry = { peerFault: false, points: 0 };
const offence = (points: number): Entry => ({ peerFault: true, points });

const SECTIONS = {
  // wire
  wire: {
    'frame-too-large': cause,
    'bad-type': cause,
    'frame-error': cause,
    truncated: cause,
    'trailing-bytes': cause,
    'too-many-headers': cause,
    'too-many-hashes': cause,
    'too-many-addrs': cause,
    'too-many-phases': cause,
    'bad-phase-length': cause,
    'bad-chainwork': cause,
    'bad-timestamp': cause,
    'bad-user-agent': cause,
    'unknown-type': { peerFault: true, points: 0 },
    'bad-message': ours,
  },

  // p2p
  p2p: {
    'bad-frame': offence(100),
    'malformed-message': offence(20),
    'malformed-phase': offence(10),
    'handler-protocol-error': offence(10),
    'wrong-magic': offence(10),
    'before-handshake': offence(10),
    'unexpected-verack': offence(10),
    'duplicate-version': offence(10),
    'obsolete-version': ours,
    'self-connection': ours,
    'duplicate-connection': ours,
    'handshake-timeout': ours,
    'ping-timeout': ours,
    'send-queue-full': ours,
    stopping: ours,
    shutdown: ours,
    banned: ours,
    'max-peers': ours,
    'already-connected': ours,
    'already-started': ours,
    'not-running': ours,
    'bad-address': ours,
    'peer-closed': ours,
  },

  // chain
  chain: {
    'bad-bits': cause,
    'bad-cert': { ...cause, mutable: true },
    'bad-cert-hash': { ...cause, mutable: true },
    'bad-height': cause,
    'bad-merkle-root': { ...cause, mutable: true },
    'bad-prev': cause,
    'bad-size': { ...cause, mutable: true, final: true, txFault: true },
    'bad-tx-nonce': cause,
    'bad-tx-sig': { ...cause, final: true, txFault: true },
    'bad-version': cause,
    'cert-below-zc': cause,
    'cert-r-mismatch': cause,
    'cert-rounds': cause,
    'duplicate-tx': { ...cause, mutable: true },
    'high-hash': cause,
    // a relayer validates before relaying: a spend its sender cannot fund at our tip costs the relayer (issue 19.5)
    'insufficient-funds': { ...cause, txFault: true },
    'time-too-new': ours,
    'time-too-old': cause,
    'known-invalid': cause,
    'unknown-parent': cause,
    closed: ours,
    'wrong-network': ours,
    'store-format': ours,
    'store-corrupt': ours,
  },

  // mempool
  mempool: {
    duplicate: { ...ours, final: true },
    'mempool-full': ours,
    'no-mempool': ours,
  },

  // sync
  sync: {
    'sync-headers-invalid': offence(50),
    'sync-headers-do-not-connect': offence(20),
    'sync-headers-bad-range': offence(20),
    'sync-cannot-serve-claimed-height': offence(10),
    'sync-stalled': offence(5),
    'sync-header-stalled': offence(5),
    'sync-block-invalid': offence(50),
    'sync-block-short': offence(20),
    'sync-unsolicited-flood': offence(10),
    'sync-tx-invalid': offence(1),
    'sync-tx-size': offence(1),
    'sync-serve-flood': offence(1),
    'sync-claim-unbacked': offence(10),
    'sync-headers-low-work': offence(10),
    'sync-block-rejected-again': offence(50),
    'sync-tx-rejected-again': offence(1),
  },

  // gossip
  gossip: {
    'invalid-phase': offence(10),
    'invalid-coherence': offence(10),
    'phase-flood': offence(1),
    // past GETPHASE_FLOOD requests in one gossip round (issue 19: GETPHASE amplification)
    'getphase-flood': offence(1),
  },

  // core
  core: {
    'phase-too-short': cause,
    'phase-too-many': cause,
    'phase-bad-length': cause,
    'phase-bad-r': cause,
    'phase-bad-psi': cause,
    'phase-bad-phase': cause,
    'phase-malformed': cause,
    'bad-item-size': ours,
    'batch-ragged': ours,
    'bad-header-size': ours,
    'bad-target-size': ours,
    'bad-nonce-range': ours,
    'length-mismatch': ours,
    'bad-steps': ours,
    'bad-param': ours,
    'bad-weight': ours,
    'phases-empty': ours,
    'bad-phase-state': ours,
    'too-large': ours,
    'no-states': ours,
    'bad-kuramoto': ours,
    'bad-oscillators': ours,
    'core-abi-mismatch': ours,
  },

  // input
  input: {
    'api-listen': ours,
    'api-unreachable': ours,
    'http-error': ours,
    'bad-api': ours,
    'bad-amount': ours,
    'bad-bandwidth': ours,
    'bad-boolean': ours,
    'bad-choice': ours,
    'bad-gossip-strategy': ours,
    'bad-host': ours,
    'bad-hex': ours,
    'bad-integer': ours,
    'bad-latency': ours,
    'bad-option': ours,
    'bad-relay-mode': ours,
    'bad-seed': ours,
    'bad-value': ours,
    'config-bad-json': ours,
    'config-unknown-key': ours,
    'config-unreadable': ours,
    'wallet-corrupt': ours,
    'wallet-empty': ours,
    'wallet-no-key': ours,
    'insufficient-balance': ours,
    'port-in-use': ours,
    'data-dir-locked': ours,
    'data-dir-not-directory': ours,
    'permission-denied': ours,
    // API answers (src/api/http.ts, src/api/auth.ts) and the operator's CLI (src/cli/)
    'bad-json': ours,
    'missing-field': ours,
    'not-found': ours,
    'method-not-allowed': ours,
    'body-too-large': ours,
    rejected: ours,
    internal: ours,
    unauthorized: ours,
    'api-auth-required': ours,
    'bad-api-auth': ours,
    'config-data-dir-moved': ours,
    'stop-timeout': ours,
  },
} as const satisfies Record<Layer, Record<string, Entry>>;

type Sections = typeof SECTIONS;
/** Every error code; a typo is a compile error. */
export type ErrorCode = { [L in Layer]: keyof Sections[L] }[Layer] & string;

function flatten(): Readonly<Record<ErrorCode, Verdict>> {
  const out: Record<string, Verdict> = {};
  for (const [layer, codes] of Object.entries(SECTIONS) as [Layer, Record<string, Entry>][]) {
    for (const [code, e] of Object.entries(codes)) {
      if (code in out) throw new Error(`error code ${code} listed twice`);
      out[code] = Object.freeze({ layer, ...e });
    }
  }
  return Object.freeze(out) as Record<ErrorCode, Verdict>;
}

/** The registry, flat: code → verdict. */
export const CODES: Readonly<Record<ErrorCode, Verdict>> = flatten();

export function isErrorCode(s: string): s is ErrorCode {
  return Object.hasOwn(CODES, s);
}

/** A code that arrives as a string (a close reason, a result field): itself when registered, else `fallback`. */
export function toErrorCode(s: string | undefined, fallback: ErrorCode): ErrorCode {
  return s !== undefined && isErrorCode(s) ? s : fallback;
}

/** The verdict of a code. */
export function verdictOf(code: ErrorCode): Verdict {
  return CODES[code];
}

/**
 * Points an offence costs, given what caused it: the offence's points, or 0 when the cause is not the
 * sender's fault (e.g. `sync-block-invalid` caused by `time-too-new`).
 */
export function pointsFor(offence: ErrorCode, cause?: ErrorCode): number {
  if (cause !== undefined && !CODES[cause].peerFault) return 0;
  return CODES[offence].points;
}

/** A scored offence or a rejection: a code plus an optional free detail (a message type, a cause code). */
export interface Reason {
  readonly code: ErrorCode;
  readonly detail?: string;
}

/** The one text form of a reason (counters, logs, ban lists): `code` or `code:detail`. */
export function reasonText(r: Reason): string {
  return r.detail === undefined ? r.code : `${r.code}:${r.detail}`;
}

/** Base for all BloomCoin errors; `code` is stable and machine-readable, `detail` optional context. */
export class BloomError extends Error {
  readonly code: ErrorCode;
  constructor(
    code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }

  /** This error's verdict. */
  get verdict(): Verdict {
    return CODES[this.code];
  }
}

/** Malformed or out-of-bounds bytes from the wire (frames, messages, phase states). */
export class ProtocolError extends BloomError {}

/** A block, header or transaction that breaks a consensus rule. */
export class ValidationError extends BloomError {}

/** Bad input from an operator or API caller. */
export class InputError extends BloomError {}
