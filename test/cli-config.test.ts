// Config resolution, seed parsing, wallet files and CLI option parsing (in process; no node is started).
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiBase, main, type Io, type NodeFactory } from '../src/cli.js';
import { defaultConfig, envInput, envName, loadConfigFile, parseSeed, resolveConfig, resolveSourced } from '../src/config.js';
import { InputError } from '../src/errors.js';
import { decodeTx, verifyTxSignature } from '../src/chain/tx.js';
import { buildSignedTx, defaultKey, findKey, formatAmount, keyPair, loadWallet, newKey, parseAmount, walletPath } from '../src/wallet.js';
import { checkPromText } from './helpers/api-promcheck.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bloom-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function expectInput(fn: () => unknown, code: string, mention: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe(code);
    expect((e as Error).message).toMatch(mention);
    return;
  }
  throw new Error('expected an InputError');
}

describe('config', () => {
  it('embedded defaults: devnet, mining, API on loopback 17619, data under ~/.bloomcoin/devnet', () => {
    const c = resolveConfig();
    expect(c).toMatchObject({ network: 'devnet', host: '0.0.0.0', port: 17618, apiHost: '127.0.0.1', apiPort: 17619, mine: true, maxPeers: 8 });
    expect(c.dataDir).toBe(join(homedir(), '.bloomcoin', 'devnet'));
    const m = resolveConfig({ network: 'mainnet' });
    expect(m).toMatchObject({ port: 7618, apiPort: 7619 });
    expect(m.dataDir).toBe(join(homedir(), '.bloomcoin', 'mainnet'));
    expect(defaultConfig('mainnet').dataDir).toBe(join(homedir(), '.bloomcoin', 'mainnet'));
  });

  it('command line beats the file, the file beats defaults', () => {
    const path = join(dir, 'c.json');
    writeFileSync(path, JSON.stringify({ network: 'mainnet', port: 9000, apiPort: 9001, seeds: ['10.0.0.1:7618', { host: '::1', port: 9 }], mine: false }));
    const c = resolveConfig({ port: '9100' }, loadConfigFile(path));
    expect(c).toMatchObject({ network: 'mainnet', port: 9100, apiPort: 9001, mine: false });
    expect(c.seeds).toEqual([{ host: '10.0.0.1', port: 7618 }, { host: '::1', port: 9 }]);
  });

  it('rejects bad values with an InputError naming the option', () => {
    expectInput(() => resolveConfig({ port: '70000' }), 'bad-integer', /--port/);
    expectInput(() => resolveConfig({ port: '12abc' }), 'bad-integer', /--port/);
    expectInput(() => resolveConfig({ apiPort: -1 }), 'bad-integer', /--api-port/);
    expectInput(() => resolveConfig({ maxPeers: '1.5' }), 'bad-integer', /--max-peers/);
    expectInput(() => resolveConfig({ network: 'testnet' }), 'bad-choice', /--network.*mainnet, devnet/);
    expectInput(() => resolveConfig({ gossip: 'flood' }), 'bad-choice', /--gossip/);
    expectInput(() => resolveConfig({ relay: 'eager' }), 'bad-choice', /--relay/);
    expect(resolveConfig({}).relay).toBe('aggregate');
    expect(resolveConfig({ relay: 'flood' }).relay).toBe('flood');
    expectInput(() => resolveConfig({ logLevel: 'loud' }), 'bad-choice', /--log-level/);
    expectInput(() => resolveConfig({ host: 'bad host!' }), 'bad-host', /--host/);
    expectInput(() => resolveConfig({ oscillators: '8' }), 'bad-integer', /--oscillators/);
    expectInput(() => resolveConfig({ minerAddress: 'abc' }), 'bad-address', /--miner-address/);
    expectInput(() => resolveConfig({ dataDir: '' }), 'bad-value', /--data-dir/);
  });

  it('config file errors: unreadable, bad JSON, unknown key', () => {
    expectInput(() => loadConfigFile(join(dir, 'missing.json')), 'config-unreadable', /^config file .*missing\.json: cannot read/);
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expectInput(() => loadConfigFile(join(dir, 'bad.json')), 'config-bad-json', /not valid JSON/);
    writeFileSync(join(dir, 'arr.json'), '[]');
    expectInput(() => loadConfigFile(join(dir, 'arr.json')), 'config-bad-json', /object/);
    writeFileSync(join(dir, 'typo.json'), '{"prot": 1}');
    expectInput(() => loadConfigFile(join(dir, 'typo.json')), 'config-unknown-key', /"prot"/);
  });

  it('layers: flags > env > file > defaults, each value with its origin; errors name the layer', () => {
    const path = join(dir, 'layers.json');
    const file = { port: 1, apiPort: 2, maxPeers: 3, gossip: 'eager', logFile: 'x.log' };
    const env = envInput({ BLOOMCOIN_PORT: '11', BLOOMCOIN_MAX_PEERS: '13', BLOOMCOIN_SEED: 'a:1,b:2 c:3', BLOOMCOIN_MINE: 'false', BLOOMCOIN_GOSSIP: '', OTHER: 'x' });
    expect(env).toEqual({ port: '11', maxPeers: '13', seeds: ['a:1', 'b:2', 'c:3'], mine: 'false' });
    const { config, sources } = resolveSourced({ cli: { maxPeers: '23' }, env, file, filePath: path });
    expect(config).toMatchObject({ port: 11, apiPort: 2, maxPeers: 23, gossip: 'eager', mine: false, logLevel: 'info', logFile: join(dir, 'x.log') });
    expect(sources).toMatchObject({
      port: { source: 'env', name: 'BLOOMCOIN_PORT' },
      apiPort: { source: 'file', name: path },
      maxPeers: { source: 'flag', name: '--max-peers' },
      logLevel: { source: 'default', name: '' },
    });
    expectInput(() => resolveSourced({ env: { apiPort: 'x' } }), 'bad-integer', /^environment BLOOMCOIN_API_PORT: expected an integer/);
    expectInput(() => resolveSourced({ file: { seeds: ['::1:80'] }, filePath: path }), 'bad-seed', new RegExp(`^config file ${path}: key "seeds": .*brackets`));
    expectInput(() => resolveSourced({ cli: { apiAuth: 'nope' } }), 'bad-api-auth', /^--api-auth: expected user:salt\$hmac/);
    expect(envName('max-peers')).toBe('BLOOMCOIN_MAX_PEERS');
  });

  it('parses seeds: host:port, [v6]:port, bare host takes the default port', () => {
    expect(parseSeed('127.0.0.1:7618', 1)).toEqual({ host: '127.0.0.1', port: 7618 });
    expect(parseSeed('seed.example.org:17618', 1)).toEqual({ host: 'seed.example.org', port: 17618 });
    expect(parseSeed('[::1]:9000', 1)).toEqual({ host: '::1', port: 9000 });
    expect(parseSeed('[2001:db8::5]', 7618)).toEqual({ host: '2001:db8::5', port: 7618 });
    expect(parseSeed('node1', 7618)).toEqual({ host: 'node1', port: 7618 });
    expectInput(() => parseSeed('::1:9000', 1), 'bad-seed', /brackets/);
    expectInput(() => parseSeed('[nothex]:1', 1), 'bad-seed', /IPv6/);
    expectInput(() => parseSeed('host:0', 1), 'bad-integer', /--seed/);
    expectInput(() => parseSeed('host:99999', 1), 'bad-integer', /--seed/);
    expectInput(() => parseSeed('', 1), 'bad-seed', /host:port/);
    expectInput(() => parseSeed('-bad-:1', 1), 'bad-seed', /not an IP/);
  });
});

describe('wallet', () => {
  it('creates keys in a 0600 file and signs transactions the chain verifies', () => {
    expect(loadWallet(dir)).toEqual([]);
    const k = newKey(dir);
    expect(k.address).toMatch(/^[0-9a-f]{40}$/);
    expect(statSync(walletPath(dir)).mode & 0o777).toBe(0o600);
    expect(defaultKey(dir)).toEqual(k);
    const k2 = newKey(dir);
    expect(loadWallet(dir).map((x) => x.address)).toEqual([k.address, k2.address]);
    expect(findKey(dir, k2.address.toUpperCase()).address).toBe(k2.address);
    expectInput(() => findKey(dir, '00'.repeat(20)), 'wallet-no-key', /--from/);

    const magic = 0xb1_00_de_01;
    const { bytes, tx } = buildSignedTx(k, { to: k2.address, amount: 150_000_000n, fee: 10_000n, nonce: 3n }, magic);
    expect(bytes.length).toBe(140);
    expect(verifyTxSignature(bytes, magic)).toBe(true);
    expect(verifyTxSignature(bytes, 0xb1_00_c0_01)).toBe(false);
    expect(decodeTx(bytes)).toEqual(tx);
    expect(Buffer.from(tx.to).toString('hex')).toBe(k2.address);
  });

  it('refuses a hand-edited key whose seed does not match its address', () => {
    const k = newKey(dir);
    expectInput(() => keyPair({ ...k, address: '00'.repeat(20) }), 'wallet-corrupt', /does not match/);
    writeFileSync(walletPath(dir), '{"version":2}');
    expectInput(() => loadWallet(dir), 'wallet-corrupt', /unknown format/);
  });

  it('parses and formats BLOOM amounts exactly', () => {
    expect(parseAmount('1.5')).toBe(150_000_000n);
    expect(parseAmount('0.00000001')).toBe(1n);
    expect(parseAmount('21')).toBe(2_100_000_000n);
    expect(formatAmount(150_000_000n)).toBe('1.5');
    expect(formatAmount(1n)).toBe('0.00000001');
    expect(formatAmount(5_000_000_000n)).toBe('50');
    for (const bad of ['1.000000001', '-1', 'abc', '', '1e5']) expectInput(() => parseAmount(bad), 'bad-amount', /--amount/);
  });
});

describe('cli parsing', () => {
  // in-process commands read ~/.bloomcoin/<network>/bloomcoin.json: HOME is the test's own dir, not the user's
  let savedHome: string | undefined;
  beforeEach(() => {
    savedHome = process.env.HOME;
    process.env.HOME = dir;
  });
  afterEach(() => {
    process.env.HOME = savedHome;
  });

  function capture(): Io & { outs: string[]; errs: string[] } {
    const outs: string[] = [];
    const errs: string[] = [];
    return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l) };
  }
  const neverStarted: NodeFactory = {
    create: () => {
      throw new Error('node must not start for rejected options');
    },
  };
  const run = async (...args: string[]) => {
    const io = capture();
    const code = await main(['node', 'bloomcoin', ...args], { io, factory: neverStarted });
    return { code, out: io.outs.join('\n'), err: io.errs.join('\n') };
  };

  it('rejects bad options with a clear one-line message and exit code 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['node', '--port', 'abc'], /--port: expected an integer from 0 to 65535, got "abc"/],
      [['node', '--api-port', '99999'], /--api-port: expected an integer/],
      [['node', '--network', 'testnet'], /argument 'testnet' is invalid.*mainnet, devnet/],
      [['node', '--gossip', 'flood'], /eager, threshold, bloom/],
      [['node', '--seed', '::1:80'], /--seed: .*brackets/],
      [['node', '--max-peers', '-3'], /--max-peers/],
      [['node', '--bogus'], /unknown option '--bogus'/],
      [['node', '--config', join(tmpdir(), 'no-such-bloom.json')], /config file .*no-such-bloom\.json: cannot read/],
      [['devnet', '--nodes', '40'], /--nodes: expected an integer from 1 to 16/],
      [['status', '--api', 'localhost'], /--api: expected host:port/],
      [['wallet', 'send', '--to', 'ab'], /required option '--amount/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('--help documents every node option', async () => {
    const r = await run('node', '--help');
    expect(r.code).toBe(0);
    for (const opt of ['--network', '--port', '--api-port', '--host', '--api-host', '--data-dir', '--seed', '--no-mine', '--max-peers', '--gossip', '--log-level', '--config', '--oscillators']) {
      expect(r.out).toContain(opt);
    }
  });

  it('--version prints the package version', async () => {
    const r = await run('--version');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('wallet new writes a key under --data-dir and prints the address', async () => {
    const r = await run('wallet', 'new', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe(loadWallet(dir)[0]!.address);
  });

  it('status, wallet and stop reach the API address of the configuration (file in ~/.bloomcoin/<network>, then env, then --api)', async () => {
    mkdirSync(join(dir, '.bloomcoin', 'mainnet'), { recursive: true });
    writeFileSync(join(dir, '.bloomcoin', 'mainnet', 'bloomcoin.json'), JSON.stringify({ apiHost: '0.0.0.0', apiPort: 1 }));
    const viaFile = await run('status', '--network', 'mainnet');
    expect(viaFile.code).toBe(6);
    expect(viaFile.err).toMatch(/cannot reach the node API at http:\/\/127\.0\.0\.1:1:/); // a wildcard bind is reached on loopback
    const viaFlag = await run('stop', '--network', 'mainnet', '--api', '127.0.0.1:2');
    expect(viaFlag.err).toMatch(/cannot reach the node API at http:\/\/127\.0\.0\.1:2:/);
    const dflt = await run('wallet', 'balance', '00'.repeat(20));
    expect(dflt.err).toMatch(/cannot reach the node API at http:\/\/127\.0\.0\.1:17619:/);
  });

  it('status reports an unreachable API clearly', async () => {
    const r = await run('status', '--api', '127.0.0.1:1');
    expect(r.code).toBe(6);
    expect(r.err).toMatch(/cannot reach the node API at http:\/\/127.0.0.1:1/);
  });

  it('wallet send: a refusal for funds (spent meanwhile) is told in BLOOM, not the node\'s base units', async () => {
    // a real HTTP server standing in for a node whose balance drops between the check and the submit
    const k = newKey(dir);
    let accountCalls = 0;
    let submitted = 0;
    const server = createServer((req, res) => {
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/status') return json(200, { network: 'devnet' });
      if (req.url === '/mempool') return json(200, { count: 0, bytes: 0, txs: [] });
      if (req.url?.startsWith('/accounts/')) return json(200, { address: k.address, balance: ++accountCalls === 1 ? '1000000000' : '50000000', nonce: '0' });
      if (req.url === '/tx') {
        submitted++;
        return json(400, { error: { code: 'insufficient-funds', message: 'balance 50000000 < 100010000', field: 'hex' } });
      }
      json(404, {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await run('wallet', 'send', '--data-dir', dir, '--api', `127.0.0.1:${port}`, '--to', '11'.repeat(20), '--amount', '1');
      expect(submitted).toBe(1);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`error: insufficient funds: ${k.address} has 0.5 BLOOM spendable, this payment needs 1.0001 BLOOM (amount + fee)`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('apiBase accepts host:port and [v6]:port', () => {
    expect(apiBase(undefined)).toBe('http://127.0.0.1:17619');
    expect(apiBase(undefined, 'mainnet')).toBe('http://127.0.0.1:7619');
    expect(apiBase('[::1]:80')).toBe('http://[::1]:80');
  });
});

describe('prometheus checker', () => {
  it('rejects malformed exposition text', () => {
    expect(() => checkPromText('# TYPE a gauge\na 1\n')).not.toThrow();
    expect(() => checkPromText('a 1\n')).toThrow(/without a TYPE/);
    expect(() => checkPromText('# TYPE a gauge\na{x=1} 1\n')).toThrow(/malformed sample/);
    expect(() => checkPromText('# TYPE a gauge\na one\n')).toThrow(/malformed sample/);
    expect(() => checkPromText('# TYPE a gauge\na 1\na 2\n')).toThrow(/duplicate series/);
    expect(() => checkPromText('# TYPE a gauge\na 1')).toThrow(/newline/);
  });
});
