// The data dir an operator gives: created if absent, refused with one clear line when unusable, and held by
// one process at a time through a pid file (as bitcoind's .lock / geth's LOCK, but with the holder's pid).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export const PID_FILE = 'bloomcoin.pid';

/** Makes `dir` (and parents); throws `data-dir-not-directory` / `permission-denied` naming the path. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new InputError('data-dir-not-directory', `data dir ${dir} is not a directory (a file is in the way): move it or choose another --data-dir`);
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new InputError('permission-denied', `data dir ${dir}: permission denied: make it writable by this user or choose another --data-dir`);
    }
    throw e;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid written in `dir`'s pid file, if a live process holds it. */
export function holderPid(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, PID_FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

export function lockedError(dir: string, pid?: number): InputError {
  const who = pid === undefined ? 'another bloomcoin process' : `another bloomcoin process (pid ${pid})`;
  return new InputError('data-dir-locked', `data dir ${dir} is used by ${who}: stop it (bloomcoin stop) or choose another --data-dir`);
}

/** Writes our pid into `dir`; refuses when a live process holds it (a stale file from a crash is replaced). */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, PID_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = holderPid(dir);
      if (pid !== undefined) throw lockedError(dir, pid);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw lockedError(dir);
}

/** Turns a listen failure into one line naming the port and the option that sets it. */
export function listenError(e: unknown, what: 'P2P' | 'API', host: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException).code ?? (e as { cause?: NodeJS.ErrnoException }).cause?.code;
  const option = what === 'P2P' ? '--port' : '--api-port';
  if (code === 'EADDRINUSE') {
    return new InputError(what === 'P2P' ? 'port-in-use' : 'api-listen', `${what} port ${port} on ${host} is in use: stop what holds it or choose another with ${option} (0 = any free port)`);
  }
  if (code === 'EACCES') return new InputError('permission-denied', `${what} port ${port} on ${host}: permission denied (ports below 1024 need privileges): choose another with ${option}`);
  if (code === 'EADDRNOTAVAIL') return new InputError('api-listen', `${what} address ${host} is not an address of this machine: fix ${what === 'P2P' ? '--host' : '--api-host'}`);
  return e as Error;
}
