#!/usr/bin/env node
import { Command } from 'commander';
import type { LatencySpec } from './rng.js';
import { type SimReport } from './simulator.js';
/** "50ms", "0.05s", "50" (ms), "uniform:20ms-80ms", "lognormal:50ms:0.5" (median, sigma). */
export declare function parseLatency(s: string): LatencySpec;
/** "0" (unlimited), "125000" (bytes/s), "1MB/s", "10Mbit". */
export declare function parseBandwidth(s: string): number;
export declare function buildCommand(): Command;
export declare function coveragePlot(reports: SimReport[]): string;
