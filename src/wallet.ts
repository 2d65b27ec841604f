// Wallet: ed25519 keys in <dataDir>/wallet.json (mode 0600), transaction building and signing (docs/design.md).
import { randomBytes } from 'node:crypto';
// The reference kernels: the wallet runs without a node's core loaded.
import * as reference from './core/reference.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COIN } from './constants.js';
import { decodeTx, keyPairFromSeed, signTx, txid, type KeyPair } from './chain/tx.js';
import { fromHex, toHex as hex } from './bytes.js';
import { InputError } from './errors.js';
import type { Tx } from './chain/types.js';

export const WALLET_FILE = 'wallet.json';
const U64_MAX = (1n << 64n) - 1n;

export interface WalletKey {
  address: string;
  publicKey: string; // raw 32 bytes, hex
  seed: string; // 32-byte ed25519 private seed, hex
  createdAt: string;
}

interface WalletFile {
  version: 1;
  keys: WalletKey[];
}

export function generateKey(): WalletKey {
  const seed = new Uint8Array(randomBytes(32));
  const kp = keyPairFromSeed(seed);
  return { address: hex(kp.address), publicKey: hex(kp.publicKey), seed: hex(seed), createdAt: new Date().toISOString() };
}

/** The usable key pair; refuses a hand-edited entry whose seed does not give its address. */
export function keyPair(key: WalletKey): KeyPair {
  if (!/^[0-9a-f]{64}$/i.test(key.seed ?? '')) throw new InputError('wallet-corrupt', `wallet key ${key.address} has no valid seed`);
  const kp = keyPairFromSeed(fromHex(key.seed));
  if (hex(kp.address) !== key.address) throw new InputError('wallet-corrupt', `wallet key ${key.address} does not match its seed`);
  return kp;
}

export function walletPath(dataDir: string): string {
  return join(dataDir, WALLET_FILE);
}

export function loadWallet(dataDir: string): WalletKey[] {
  const path = walletPath(dataDir);
  if (!existsSync(path)) return [];
  let w: WalletFile;
  try {
    w = JSON.parse(readFileSync(path, 'utf8')) as WalletFile;
  } catch (e) {
    throw new InputError('wallet-corrupt', `cannot read wallet ${path}: ${(e as Error).message}`);
  }
  if (w?.version !== 1 || !Array.isArray(w.keys)) throw new InputError('wallet-corrupt', `wallet ${path} has an unknown format`);
  return w.keys;
}

function saveWallet(dataDir: string, keys: WalletKey[]): void {
  mkdirSync(dataDir, { recursive: true });
  const path = walletPath(dataDir);
  const tmp = `${path}.tmp`;
  // write-then-rename so a crash never leaves a half-written key file
  writeFileSync(tmp, JSON.stringify({ version: 1, keys } satisfies WalletFile, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Adds a fresh key to the wallet and returns it. */
export function newKey(dataDir: string): WalletKey {
  const keys = loadWallet(dataDir);
  const k = generateKey();
  saveWallet(dataDir, [...keys, k]);
  return k;
}

/** The first key, created when the wallet is empty (the miner's default payout address). */
export function defaultKey(dataDir: string): WalletKey {
  return loadWallet(dataDir)[0] ?? newKey(dataDir);
}

export function findKey(dataDir: string, address?: string): WalletKey {
  const keys = loadWallet(dataDir);
  if (keys.length === 0) throw new InputError('wallet-empty', `no keys in ${walletPath(dataDir)}; run "bloomcoin wallet new"`);
  if (address === undefined) return keys[0]!;
  const k = keys.find((x) => x.address === address.toLowerCase());
  if (!k) throw new InputError('wallet-no-key', `--from: no key for address ${address} in ${walletPath(dataDir)}`);
  return k;
}

/** "1.5" BLOOM → 150000000 units; at most 8 decimals. */
export function parseAmount(s: string, option = 'amount'): bigint {
  const m = /^(\d{1,12})(?:\.(\d{1,8}))?$/.exec(s.trim());
  if (!m) throw new InputError('bad-amount', `--${option}: expected a BLOOM amount like 1.5 (≤ 8 decimals), got "${s}"`);
  return BigInt(m[1]!) * COIN + BigInt((m[2] ?? '').padEnd(8, '0'));
}

export function formatAmount(units: bigint): string {
  const neg = units < 0n;
  const u = neg ? -units : units;
  const frac = (u % COIN).toString().padStart(8, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${u / COIN}${frac ? '.' + frac : ''}`;
}

export interface TxRequest {
  to: string;
  amount: bigint;
  fee: bigint;
  nonce: bigint;
}

export function buildSignedTx(key: WalletKey, req: TxRequest, magic: number): { tx: Tx; bytes: Uint8Array; txid: Uint8Array } {
  if (!/^[0-9a-f]{40}$/i.test(req.to)) throw new InputError('bad-address', `--to: expected a 40-hex-digit address, got "${req.to}"`);
  for (const [k, v] of [['amount', req.amount], ['fee', req.fee], ['nonce', req.nonce]] as const) {
    if (v < 0n || v > U64_MAX) throw new InputError('bad-amount', `--${k}: out of the u64 range`);
  }
  const to = fromHex(req.to);
  const bytes = signTx(keyPair(key), { to, amount: req.amount, fee: req.fee, nonce: req.nonce }, magic);
  return { tx: decodeTx(bytes), bytes, txid: txid(reference, bytes) };
}
