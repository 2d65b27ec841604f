import { type Logger as PinoLogger } from 'pino';
export type Logger = PinoLogger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export interface LoggerOptions {
    level?: LogLevel;
    /** Pretty, coloured lines instead of JSON (default: when stdout is a terminal). */
    pretty?: boolean;
    name?: string;
}
export declare function createLogger(opts?: LoggerOptions): Logger;
/** A logger that drops everything: the default for library use and tests. */
export declare const silentLogger: Logger;
