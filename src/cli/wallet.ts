// `bloomcoin wallet new | balance | send`: keys in <data-dir>/wallet.json, balances and payments over the API.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { NETWORKS, defaultConfig, parseNetwork } from '../config.js';
import { PROFILES, type NetworkName } from '../constants.js';
import { InputError } from '../errors.js';
import { ApiClient, apiBase } from '../api/client.js';
import { buildSignedTx, findKey, formatAmount, loadWallet, newKey, parseAmount } from '../wallet.js';
import type { Io } from './io.js';

interface WalletOpts {
  network: NetworkName;
  dataDir?: string;
  api?: string;
}

const walletOpts = (c: Command): Command =>
  c
    .addOption(new Option('--network <name>', 'network (default: devnet)').choices(NETWORKS as string[]).default('devnet'))
    .option('--data-dir <dir>', 'wallet directory (default: ./.bloomcoin/<network>)')
    .option('--api <host:port>', 'node API address (default: 127.0.0.1:17619 devnet, 7619 mainnet)');

const dataDirOf = (o: WalletOpts): string => resolve(o.dataDir ?? defaultConfig(parseNetwork(o.network)).dataDir);

export function walletCommand(program: Command, io: Io): void {
  const wallet = program.command('wallet').description('keys in <data-dir>/wallet.json; balances and payments over the API');

  walletOpts(wallet.command('new').description('create a key and print its address')).action((o: WalletOpts) => {
    io.out(newKey(dataDirOf(o)).address);
  });

  walletOpts(wallet.command('balance').description('balances of an address or of every wallet key').argument('[address]')).action(
    async (address: string | undefined, o: WalletOpts) => {
      const addrs = address ? [address] : loadWallet(dataDirOf(o)).map((k) => k.address);
      if (addrs.length === 0) throw new InputError('wallet-empty', 'no keys in the wallet; run "bloomcoin wallet new"');
      const api = new ApiClient(apiBase(o.api, o.network));
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
  ).action(async (o: WalletOpts & { to: string; amount: string; fee: string; from?: string }) => {
    const key = findKey(dataDirOf(o), o.from);
    const amount = parseAmount(o.amount, 'amount');
    const fee = parseAmount(o.fee, 'fee');
    const api = new ApiClient(apiBase(o.api, o.network));
    const status = await api.status();
    const magic = PROFILES[parseNetwork(status.network)].magic;
    const acc = await api.account(key.address);
    // transactions of ours still in the mempool have taken the next nonces
    const pool = await api.mempool();
    let nonce = BigInt(acc.nonce);
    for (const t of pool.txs) if (t.fromAddress === key.address && BigInt(t.nonce) >= nonce) nonce = BigInt(t.nonce) + 1n;
    // in BLOOM, before signing: the node's own refusal speaks in base units
    const pending = pool.txs.filter((t) => t.fromAddress === key.address).reduce((n, t) => n + BigInt(t.amount) + BigInt(t.fee), 0n);
    const have = BigInt(acc.balance) - pending;
    if (have < amount + fee) {
      throw new InputError(
        'insufficient-balance',
        `insufficient funds: ${key.address} has ${formatAmount(have > 0n ? have : 0n)} BLOOM spendable${pending ? ` (${formatAmount(pending)} pending)` : ''}, this payment needs ${formatAmount(amount + fee)} BLOOM (amount + fee)`,
      );
    }
    const { bytes } = buildSignedTx(key, { to: o.to, amount, fee, nonce }, magic);
    const res = await api.submitTx(Buffer.from(bytes).toString('hex'));
    io.out(`${res.accepted ? 'sent' : 'already known'} ${res.txid}  ${formatAmount(amount)} BLOOM to ${o.to} (fee ${formatAmount(fee)}, nonce ${nonce})`);
  });
}
