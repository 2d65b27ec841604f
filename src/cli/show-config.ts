// `bloomcoin config [node options]`: the configuration `bloomcoin node` would run with, and where each value
// came from (flag, env, file, default), as `geth dumpconfig` / `bitcoind -printconfig`-style tools show it.
import type { Command } from 'commander';
import { CONFIG_KEYS, type NodeConfig, type Origin } from '../config.js';
import { newApiAuth } from '../api/auth.js';
import { formatHostPort } from '../hostport.js';
import type { Io } from './io.js';
import { addNodeOptions, effectiveOf } from './options.js';

function show(k: keyof NodeConfig, v: unknown): string {
  if (v === undefined) return '(unset)';
  if (k === 'seeds') return (v as { host: string; port: number }[]).map((s) => formatHostPort(s.host, s.port)).join(' ') || '(none)';
  if (k === 'apiAuth') return `${String(v).split(':')[0]}:…`; // the hash is not a secret, but it is noise
  return String(v);
}

const from = (o: Origin): string => (o.source === 'default' ? 'default' : `${o.source} ${o.name}`);

export function configCommand(program: Command, io: Io): void {
  addNodeOptions(program.command('config').description('print the effective node configuration and where each value came from'))
    .option('--json', 'print it as JSON ({config, sources, file})')
    .action((o: { json?: boolean }, cmd: Command) => {
      const e = effectiveOf(cmd);
      if (o.json) {
        io.out(JSON.stringify({ config: e.config, sources: e.sources, file: e.file }, null, 2));
        return;
      }
      io.out(`config file  ${e.file.path}  (${e.file.found ? (e.file.origin.source === 'default' ? 'read: found in the data dir' : `read: ${from(e.file.origin)}`) : 'absent'})`);
      const width = Math.max(...CONFIG_KEYS.map((k) => show(k, e.config[k]).length));
      for (const k of CONFIG_KEYS) io.out(`${k.padEnd(12)} ${show(k, e.config[k]).padEnd(width)}  ${from(e.sources[k])}`);
    });
}

export function apiAuthCommand(program: Command, io: Io): void {
  program
    .command('api-auth')
    .description('print a new API credential: an apiAuth line for the config (no password stored) and its password')
    .argument('<user>', 'user name')
    .action((user: string) => {
      const { line, password } = newApiAuth(user);
      io.out(`apiAuth  ${line}`);
      io.out(`password ${password}`);
      io.err('put the apiAuth line in bloomcoin.json ("apiAuth": "…"), --api-auth or BLOOMCOIN_API_AUTH; give clients the password (HTTP basic auth)');
    });
}
