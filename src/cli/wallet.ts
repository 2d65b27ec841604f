// `bloomcoin wallet new | balance | send`: keys in <data-dir>/wallet.json, balances and payments over the API.
import type { Command } from 'commander';
import { toHex } from '../bytes.js';
import { parseNetwork } from '../config.js';
import { PROFILES } from '../constants.js';
import { InputError, type BloomError } from '../errors.js';
import type { ApiClient } from '../api/client.js';
import { buildSignedTx, findKey, formatAmount, loadWallet, newKey, parseAmount, type WalletKey } from '../wallet.js';
import { clientOptions, connect } from './connect.js';
import type { Io } from './io.js';
import { effectiveOf } from './options.js';

const walletOpts = clientOptions;
const dataDirOf = (cmd: Command): string => effectiveOf(cmd).config.dataDir;

/** What `key` can still spend at the node: its balance less its own transactions waiting in the mempool. */
async function spendable(api: ApiClient, key: WalletKey): Promise<{ have: bigint; pending: bigint; nonce: bigint }> {
  const acc = await api.account(key.address);
  const pool = await api.mempool();
  let nonce = BigInt(acc.nonce);
  // transactions of ours still in the mempool have taken the next nonces
  for (const t of pool.txs) if (t.fromAddress === key.address && BigInt(t.nonce) >= nonce) nonce = BigInt(t.nonce) + 1n;
  const pending = pool.txs.filter((t) => t.fromAddress === key.address).reduce((n, t) => n + BigInt(t.amount) + BigInt(t.fee), 0n);
  return { have: BigInt(acc.balance) - pending, pending, nonce };
}

function insufficient(key: WalletKey, have: bigint, pending: bigint, need: bigint): InputError {
  return new InputError(
    'insufficient-balance',
    `insufficient funds: ${key.address} has ${formatAmount(have > 0n ? have : 0n)} BLOOM spendable${pending ? ` (${formatAmount(pending)} pending)` : ''}, this payment needs ${formatAmount(need)} BLOOM (amount + fee)`,
  );
}

export function walletCommand(program: Command, io: Io): void {
  const wallet = program.command('wallet').description('keys in <data-dir>/wallet.json; balances and payments over the API');

  walletOpts(wallet.command('new').description('create a key and print its address')).action((_o, cmd: Command) => {
    io.out(newKey(dataDirOf(cmd)).address);
  });

  walletOpts(wallet.command('balance').description('balances of an address or of every wallet key').argument('[address]')).action(
    async (address: string | undefined, _o, cmd: Command) => {
      const { effective, client: api } = connect(cmd);
      const addrs = address ? [address] : loadWallet(effective.config.dataDir).map((k) => k.address);
      if (addrs.length === 0) throw new InputError('wallet-empty', `no keys in the wallet of ${effective.config.dataDir}; run "bloomcoin wallet new"`);
      for (const a of addrs) {
        if (!/^[0-9a-fA-F]{40}$/.test(a)) throw new InputError('bad-address', `address: expected 40 hex digits, got "${a}"`);
        const acc = await api.account(a);
        io.out(`${a}  ${formatAmount(BigInt(acc.balance))} BLOOM  (nonce ${acc.nonce})`);
      }
    },
  );

  walletOpts(
    wallet
      .command('send')
      .description('sign a payment with a wallet key and submit it to the node')
      .requiredOption('--to <address>', 'recipient address (40 hex digits)')
      .requiredOption('--amount <bloom>', 'amount in BLOOM, up to 8 decimals')
      .option('--fee <bloom>', 'fee in BLOOM', '0.0001')
      .option('--from <address>', 'sending wallet key (default: the first)'),
  ).action(async (o: { to: string; amount: string; fee: string; from?: string }, cmd: Command) => {
    const { effective, client: api } = connect(cmd);
    const key = findKey(effective.config.dataDir, o.from);
    const amount = parseAmount(o.amount, 'amount');
    const fee = parseAmount(o.fee, 'fee');
    const status = await api.status();
    const magic = PROFILES[parseNetwork(status.network)].magic;
    // in BLOOM, before signing: the node's own refusal speaks in base units
    const { have, pending, nonce } = await spendable(api, key);
    if (have < amount + fee) throw insufficient(key, have, pending, amount + fee);
    const { bytes } = buildSignedTx(key, { to: o.to, amount, fee, nonce }, magic);
    let res;
    try {
      res = await api.submitTx(toHex(bytes));
    } catch (e) {
      // spent meanwhile (a block or another wallet): say it in BLOOM too, not the node's base units
      if ((e as BloomError).code !== 'insufficient-funds') throw e;
      const now = await spendable(api, key);
      throw insufficient(key, now.have, now.pending, amount + fee);
    }
    io.out(`${res.accepted ? 'sent' : 'already known'} ${res.txid}  ${formatAmount(amount)} BLOOM to ${o.to} (fee ${formatAmount(fee)}, nonce ${nonce})`);
  });
}
