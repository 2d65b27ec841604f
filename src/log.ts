// Structured logging: pino, JSON by default, pretty on a terminal.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  /** Pretty, coloured lines instead of JSON (default: when stdout is a terminal). */
  pretty?: boolean;
  name?: string;
  /** Append JSON lines to this file instead of stdout; reopenLogFile() reopens it (logrotate). */
  file?: string;
}

const files = new WeakMap<PinoLogger, { reopen(): void }>();

export function createLogger(opts: LoggerOptions = {}): Logger {
  if (opts.file) {
    const dest = pino.destination({ dest: opts.file, mkdir: true, sync: true });
    const logger = pino({ name: opts.name ?? 'bloomcoin', level: opts.level ?? 'info' }, dest);
    files.set(logger, dest);
    return logger;
  }
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  return pino({
    name: opts.name ?? 'bloomcoin',
    level: opts.level ?? 'info',
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/** A logger that drops everything: the default for library use and tests. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Reopens a --log-file logger's file (after logrotate moved it); a no-op for other loggers. */
export function reopenLogFile(logger: Logger): void {
  files.get(logger)?.reopen();
}
