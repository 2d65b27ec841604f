// Kill -9 harness: runs a mining devnet node (dist/cli.js) on one data dir, sends it transactions, SIGKILLs it
// at seeded random moments and after every kill reopens the store in-process and checks it (docs/reliability.md).
import { Chain } from '../../src/chain/chain.js';
import { DEVNET } from '../../src/constants.js';
import { loadCore } from '../../src/core/index.js';
import type { Core } from '../../src/core/types.js';
import { generateKey } from '../../src/wallet.js';
import { Rng } from '../../src/prng.js';
import { account, api, sendTx, sleep, startNode, status, waitFor, type DevnetProcess } from './devnet-process.js';
import { checkReplay } from './replay.js';

export interface CrashOptions {
  dataDir: string;
  kills: number;
  seed: number;
  /** Longest a node runs after its API is up before the kill, ms. */
  maxRunMs?: number;
  log?: (line: string) => void;
}

export interface CrashRound {
  round: number;
  /** 'startup': killed before (or while) the node got ready; 'running': while mining and taking txs. */
  phase: 'startup' | 'running';
  killAfterMs: number;
  /** Highest height known committed before the kill (API and "block mined" lines). */
  floor: number;
  reopened: number;
  txsSent: number;
}

export interface CrashReport {
  rounds: CrashRound[];
  finalHeight: number;
  txsAccepted: number;
  /** Txs the API called confirmed before a kill; each was found at the same height after reopening. */
  txsConfirmedChecked: number;
  txsOnChain: number;
  accounts: number;
}

/** Thrown with the seed and round so a failure can be replayed (CRASH_SEED=…). */
export class CrashFailure extends Error {
  override name = 'CrashFailure';
}

let coreP: Promise<Core> | undefined;
const getCore = (): Promise<Core> => (coreP ??= loadCore());

/** Runs `kills` rounds of start → work → SIGKILL → reopen-and-check; throws CrashFailure on the first broken rule. */
export async function runCrashHarness(opts: CrashOptions): Promise<CrashReport> {
  const rng = new Rng(opts.seed);
  const rnd = (): number => rng.next();
  const log = opts.log ?? (() => {});
  const key = generateKey();
  const payees = [generateKey().address, generateKey().address, generateKey().address];
  const rounds: CrashRound[] = [];
  // txid → height the API reported it confirmed at, before some kill
  const confirmed = new Map<string, number>();
  const pending: string[] = [];
  let floor = 0;
  let accepted = 0;
  let last = { height: 0, txs: 0, accounts: 0 };
  const fail = (round: number, msg: string): never => {
    throw new CrashFailure(`seed ${opts.seed}, round ${round}: ${msg}`);
  };

  for (let round = 0; round < opts.kills; round++) {
    // round 0 always runs long enough to mine, so later rounds have a chain and funds
    const startup = round > 0 && rnd() < 0.2;
    const t0 = Date.now();
    let proc: DevnetProcess;
    let sent = 0;
    let killAfterMs: number;
    let roundFloor = floor;
    if (startup) {
      // kill while the store opens, the pool starts or the first block connects
      proc = await startNode({ dataDir: opts.dataDir, minerAddress: key.address, noWait: true });
      killAfterMs = Math.floor(rnd() * 900);
      await sleep(killAfterMs);
    } else {
      proc = await startNode({ dataDir: opts.dataDir, minerAddress: key.address });
      // a restarted miner needs ~7 coherence rounds (0.7 s on devnet) before its first block
      killAfterMs = (round === 0 ? 2500 : 300) + Math.floor(rnd() * (opts.maxRunMs ?? 3500));
      const deadline = Date.now() + killAfterMs;
      let nonce = (await account(proc.api, key.address)).nonce;
      let balance = 0n;
      while (Date.now() < deadline) {
        const s = await status(proc.api);
        roundFloor = Math.max(roundFloor, s.height);
        const r = rnd();
        if (r < 0.45) {
          if (balance < 10_000n) balance = (await account(proc.api, key.address)).balance;
          if (balance >= 10_000n) {
            const to = payees[Math.floor(rnd() * payees.length)]!;
            const res = await sendTx(proc.api, key, to, 1000n + BigInt(Math.floor(rnd() * 1000)), nonce);
            sent++;
            if (res.accepted) {
              accepted++;
              nonce++;
              balance -= 3000n;
              pending.push(res.txid);
            } else if (res.code === 'bad-tx-nonce') {
              nonce = (await account(proc.api, key.address)).nonce;
            }
          }
        } else if (r < 0.6 && pending.length > 0) {
          // record what the API says is confirmed: it must survive the kill
          const id = pending[Math.floor(rnd() * pending.length)]!;
          const t = await api<{ status?: string; height?: number }>(proc.api, `/tx/${id}`);
          if (t.json.status === 'confirmed' && typeof t.json.height === 'number') {
            confirmed.set(id, t.json.height);
            pending.splice(pending.indexOf(id), 1);
          }
        }
        await sleep(Math.floor(rnd() * 120));
      }
      // sometimes kill with a submission in flight
      if (rnd() < 0.3) void sendTx(proc.api, key, payees[0]!, 1000n, nonce).catch(() => undefined);
      const s = await status(proc.api).catch(() => undefined);
      if (s) roundFloor = Math.max(roundFloor, s.height);
    }
    const exit = await proc.kill();
    if (exit.signal !== 'SIGKILL') fail(round, `node exited by itself (${exit.code}) before the kill; stderr: ${proc.stderr().slice(-1500)}`);
    for (const h of proc.mined) roundFloor = Math.max(roundFloor, h);

    const chain = await Chain.open({ dataDir: opts.dataDir, profile: DEVNET, core: await getCore() }).catch((e: unknown) =>
      fail(round, `store does not reopen: ${String(e)}`),
    );
    try {
      const rep = await checkReplay(chain).catch((e: unknown) => fail(round, String(e)));
      if (rep.height < roundFloor) fail(round, `tip went back: reopened at ${rep.height}, ${roundFloor} was committed before the kill`);
      for (const [id, h] of confirmed) {
        const at = rep.txHeights.get(id);
        if (at !== h) fail(round, `tx ${id} was confirmed at ${h} before a kill, after reopening it is at ${at ?? 'nowhere'}`);
      }
      // drop pending txs that made it in (the mempool itself does not survive a kill)
      for (let i = pending.length - 1; i >= 0; i--) if (rep.txHeights.has(pending[i]!)) pending.splice(i, 1);
      floor = rep.height;
      last = { height: rep.height, txs: rep.txs, accounts: rep.accounts };
      rounds.push({ round, phase: startup ? 'startup' : 'running', killAfterMs, floor: roundFloor, reopened: rep.height, txsSent: sent });
      log(`round ${round} ${startup ? 'startup' : 'running'} kill@${killAfterMs}ms floor ${roundFloor} reopened ${rep.height} txs ${rep.txs} (${Date.now() - t0} ms)`);
    } finally {
      await chain.close();
    }
  }
  return { rounds, finalHeight: last.height, txsAccepted: accepted, txsConfirmedChecked: confirmed.size, txsOnChain: last.txs, accounts: last.accounts };
}

/** After the kills: the node itself restarts on the data dir, keeps mining past `height`, and stops cleanly. */
export async function restartAndMine(dataDir: string, height: number, minerAddress?: string): Promise<number> {
  const proc = await startNode({ dataDir, minerAddress });
  try {
    const s0 = await status(proc.api);
    if (s0.height < height) throw new CrashFailure(`restarted node is at ${s0.height}, the store was at ${height}`);
    const s = await waitFor('a block after restart', async () => {
      const x = await status(proc.api);
      return x.height > s0.height ? x : undefined;
    }, 20_000);
    const exit = await proc.stop();
    if (exit.code !== 0) throw new CrashFailure(`clean stop exited ${exit.code ?? exit.signal}; stderr: ${proc.stderr().slice(-1500)}`);
    return s.height;
  } finally {
    await proc.kill();
  }
}
