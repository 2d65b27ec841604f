import type { SimReport } from './simulator.js';
export declare function formatTable(r: SimReport): string;
