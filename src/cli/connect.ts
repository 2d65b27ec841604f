// How a command finds and talks to a running node: --api, else the API address of the effective configuration
// (flags, BLOOMCOIN_*, the data dir's bloomcoin.json), with the data dir's cookie when the node is on this machine.
import { Option, type Command } from 'commander';
import { NETWORKS } from '../config.js';
import { InputError } from '../errors.js';
import { formatHostPort } from '../hostport.js';
import { cookieAuthorization, isLoopback } from '../api/auth.js';
import { ApiClient, apiBase } from '../api/client.js';
import { effectiveOf, type Effective } from './options.js';

/** --network, --data-dir, --config and --api for the commands that talk to a node (status, wallet, stop). */
export function clientOptions(c: Command): Command {
  return c
    .addOption(new Option('--network <name>', 'network (default: devnet)').choices(NETWORKS as string[]))
    .option('--data-dir <dir>', "the node's data dir: wallet, cookie, bloomcoin.json (default: ~/.bloomcoin/<network>)")
    .option('--config <file>', 'JSON config file (default: <data-dir>/bloomcoin.json if present)')
    .option('--api <host:port>', 'node API address (default: the configured --api-host/--api-port, 127.0.0.1:17619 devnet, 7619 mainnet)');
}

/** The API base URL: --api, else the configured address (a wildcard bind is reached on loopback). */
export function apiUrlOf(e: Effective, api: string | undefined): string {
  if (api !== undefined) return apiBase(api);
  const { apiHost, apiPort } = e.config;
  if (apiPort === 0) throw new InputError('bad-api', 'the configured API port is 0 (any free port): pass --api host:port');
  const host = apiHost === '0.0.0.0' ? '127.0.0.1' : apiHost === '::' ? '::1' : apiHost;
  return `http://${formatHostPort(host, apiPort)}`;
}

/** A CLI command's view of a node: its effective config and an API client to it. */
export interface ApiConnection {
  effective: Effective;
  client: ApiClient;
}

export function connect(cmd: Command): ApiConnection {
  const effective = effectiveOf(cmd);
  const base = apiUrlOf(effective, cmd.opts<{ api?: string }>().api);
  // the cookie is a local secret: never sent to a node on another machine
  const authorization = isLoopback(new URL(base).hostname) ? cookieAuthorization(effective.config.dataDir) : undefined;
  return { effective, client: new ApiClient(base, { authorization }) };
}
