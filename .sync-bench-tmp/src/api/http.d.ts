import type { IncomingMessage, ServerResponse } from 'node:http';
import { InputError } from '../errors.js';
/** An error answered as `{ error: { code, message, field? } }` with an HTTP status. */
export declare class ApiError extends InputError {
    readonly status: number;
    readonly field?: string | undefined;
    constructor(status: number, code: string, message: string, field?: string | undefined);
}
export interface Ctx {
    req: IncomingMessage;
    res: ServerResponse;
    params: Record<string, string>;
    query: URLSearchParams;
}
export type Handler = (ctx: Ctx) => Promise<Reply> | Reply;
export type Reply = {
    status?: number;
    json: unknown;
} | {
    status?: number;
    body: string | Uint8Array;
    contentType: string;
};
interface Route {
    method: string;
    /** Pattern as written ("/blocks/:ref"): the metrics label. */
    pattern: string;
    re: RegExp;
    keys: string[];
    handler: Handler;
}
export declare class Router {
    private readonly routes;
    add(method: string, pattern: string, handler: Handler): this;
    /** The route for a path, or why there is none (404 / 405 with the allowed methods). */
    match(method: string, path: string): {
        route: Route;
        params: Record<string, string>;
    } | {
        status: 404 | 405;
        allow?: string[];
    };
}
/** Reads a body up to `limit` bytes; beyond it rejects with 413 before buffering more. */
export declare function readBody(req: IncomingMessage, limit: number): Promise<Buffer>;
export declare function send(res: ServerResponse, status: number, body: string | Uint8Array, contentType: string, extra?: Record<string, string>): void;
/** JSON with bigints as decimal strings. */
export declare function toJson(v: unknown): string;
export declare function errorBody(code: string, message: string, field?: string): string;
export {};
