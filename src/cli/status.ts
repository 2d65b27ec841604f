// `bloomcoin status`: a running node's status, read from its API.
import type { Command } from 'commander';
import type { StatusJson } from '../api/types.js';
import { formatEta } from '../progress.js';
import { clientOptions, connect } from './connect.js';
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
    ...(s.warnings ?? []).map((w) => `warning    ${w}`),
  ];
}

export function statusCommand(program: Command, io: Io): void {
  clientOptions(program.command('status').description("print a running node's status (reads its HTTP API)"))
    .option('--json', 'print the raw JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const s = await connect(cmd).client.status();
      if (o.json) io.out(JSON.stringify(s, null, 2));
      else for (const l of formatStatus(s)) io.out(l);
    });
}
