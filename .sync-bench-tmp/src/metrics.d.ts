import { Registry } from 'prom-client';
import type { NodeView } from './api/types.js';
export interface Metrics {
    readonly registry: Registry;
    readonly contentType: string;
    /** One stats() snapshot per scrape, rendered in the Prometheus text format. */
    render(): Promise<string>;
    /** Counts one API request (route is the pattern, e.g. "/blocks/:ref", so labels stay bounded). */
    observeRequest(route: string, method: string, status: number): void;
}
export interface MetricsOptions {
    /** Node.js process metrics (CPU, memory, event loop). Default true. */
    processMetrics?: boolean;
    prefix?: string;
}
export declare function createMetrics(view: Pick<NodeView, 'stats'>, opts?: MetricsOptions): Metrics;
