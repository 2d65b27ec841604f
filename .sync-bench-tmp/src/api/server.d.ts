import { type Logger } from '../log.js';
import { type Metrics } from '../metrics.js';
import { Router } from './http.js';
import type { NodeView } from './types.js';
export declare const BODY_LIMIT: number;
export interface ApiOptions {
    host?: string;
    port?: number;
    logger?: Logger;
    /** Shared metrics; created from the view when absent. */
    metrics?: Metrics;
    bodyLimit?: number;
}
export interface ApiServer {
    readonly host: string;
    readonly port: number;
    readonly url: string;
    close(): Promise<void>;
}
export declare function buildRouter(view: NodeView, metrics: Metrics, bodyLimit: number): Router;
export declare function startApi(view: NodeView, opts?: ApiOptions): Promise<ApiServer>;
