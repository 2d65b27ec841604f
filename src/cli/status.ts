// `bloomcoin status`: a running node's status, read from its API.
import { Option, type Command } from 'commander';
import { NETWORKS } from '../config.js';
import type { NetworkName } from '../constants.js';
import { ApiClient, apiBase } from '../api/client.js';
import type { StatusJson } from '../api/types.js';
import { formatEta } from '../progress.js';
import type { Io } from './io.js';

export function formatStatus(s: StatusJson): string[] {
  return [
    `network    ${s.network}  (node v${s.version})`,
    `height     ${s.height}  tip ${s.tipHash}`,
    `peers      ${s.peers}${s.listen ? `  listening on ${s.listen}` : ''}`,
    `coherence  r=${s.coherence.r.toFixed(4)} psi=${s.coherence.psi.toFixed(3)}  rounds above Z_C ${s.coherenceRounds}  network r=${s.networkCoherence.toFixed(4)}`,
    `mining     ${s.mining ? 'yes' : 'no'}`,
    `sync       ${s.syncing ? `syncing ${s.sync.blocks}/${s.sync.targetHeight} blocks, headers ${s.sync.headers}, ${s.sync.rate.toFixed(1)} blk/s` : 'in sync'}`,
    `uptime     ${formatEta(s.uptimeSec)}`,
  ];
}

export function statusCommand(program: Command, io: Io): void {
  program
    .command('status')
    .description("print a running node's status (reads its HTTP API)")
    .option('--api <host:port>', 'node API address (default: 127.0.0.1:17619, or 7619 with --network mainnet)')
    .addOption(new Option('--network <name>', 'picks the default API port').choices(NETWORKS as string[]).default('devnet'))
    .option('--json', 'print the raw JSON')
    .action(async (o: { api?: string; network: NetworkName; json?: boolean }) => {
      const s = await new ApiClient(apiBase(o.api, o.network)).status();
      if (o.json) io.out(JSON.stringify(s, null, 2));
      else for (const l of formatStatus(s)) io.out(l);
    });
}
