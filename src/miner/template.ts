// Block templates (bcoin's miner/template.js, not the chain's job): the tip's child with the txs that apply.
import { NONCE_OFFSET } from '../constants.js';
import { assembleBlock, merkleRoot } from '../chain/block.js';
import { certHash, encodeCert } from '../chain/cert.js';
import type { Chain } from '../chain/chain.js';
import { encodeHeader, HEADER_VERSION, bitsToTarget, targetBytes } from '../chain/header.js';
import { applyBlock } from '../chain/ledger.js';
import { decodeTx, encodeTx, txid } from '../chain/tx.js';
import type { Certificate, Header, Tx } from '../chain/types.js';
import { ValidationError } from '../errors.js';
import type { MiningChain } from './miner.js';

export interface TemplateOptions {
  minerAddress: Uint8Array;
  cert: Certificate;
  /** Candidate transactions (bytes or decoded); ones that do not apply in order are left out. */
  txs?: readonly (Uint8Array | Tx)[];
  timestamp?: number;
}

export interface BlockTemplate {
  height: number;
  prevHash: Uint8Array;
  bits: number;
  target: bigint;
  /** 32-byte big-endian target, as Core.grindNonces takes it. */
  targetBytes: Uint8Array;
  /** 118 header bytes with nonce 0; grind bytes 114..117. */
  header: Uint8Array;
  txCount: number;
  fees: bigint;
  /** Block bytes for a found nonce. */
  withNonce(nonce: number): Uint8Array;
}

/** A block template on the chain's current tip; txs that do not apply in order are skipped. */
export function buildTemplate(chain: Chain, opts: TemplateOptions): Promise<BlockTemplate> {
  const core = chain.core;
  return chain.atTip((parent, bits, now) => {
    const height = parent.height + 1;
    const target = bitsToTarget(bits)!;
    const certBytes = encodeCert(opts.cert);
    const chosen: Uint8Array[] = [];
    const chosenTxs: Tx[] = [];
    let fees = 0n;
    for (const t of opts.txs ?? []) {
      const b = t instanceof Uint8Array ? t : encodeTx(t);
      const tx = decodeTx(b);
      try {
        const e = applyBlock(chain.accounts, {
          header: { ...parent.header, height },
          minerAddress: opts.minerAddress,
          cert: opts.cert,
          txs: [...chosenTxs, tx],
        });
        chosen.push(b);
        chosenTxs.push(tx);
        fees = e.fees;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
      }
    }
    const header: Header = {
      version: HEADER_VERSION,
      height,
      prevHash: parent.hash,
      merkleRoot: merkleRoot(core, chosen.map((b) => txid(core, b))),
      certHash: certHash(core, certBytes, opts.minerAddress),
      timestamp: Math.max(opts.timestamp ?? now, parent.header.timestamp + 1),
      bits,
      nonce: 0,
    };
    const headerBytes = encodeHeader(header);
    const body = assembleBlock(headerBytes, opts.minerAddress, certBytes, chosen);
    return {
      height,
      prevHash: parent.hash,
      bits,
      target,
      targetBytes: targetBytes(target),
      header: headerBytes,
      txCount: chosen.length,
      fees,
      withNonce(nonce: number): Uint8Array {
        const out = body.slice();
        new DataView(out.buffer).setUint32(NONCE_OFFSET, nonce >>> 0, true);
        return out;
      },
    };
  });
}

/** The chain as the miner drives it: its reads and addBlock, with templates built here. */
export function miningChain(chain: Chain): MiningChain & { buildTemplate(opts: TemplateOptions): Promise<BlockTemplate> } {
  return {
    tip: () => chain.tip(),
    headerTip: () => chain.headerTip(),
    onTip: (cb) => chain.onTip(cb),
    addBlock: (bytes) => chain.addBlock(bytes),
    buildTemplate: (o) => buildTemplate(chain, o),
  };
}
