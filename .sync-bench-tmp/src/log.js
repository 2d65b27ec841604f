// Structured logging: pino, JSON by default, pretty on a terminal.
import { pino } from 'pino';
export function createLogger(opts = {}) {
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
export const silentLogger = pino({ level: 'silent' });
//# sourceMappingURL=log.js.map