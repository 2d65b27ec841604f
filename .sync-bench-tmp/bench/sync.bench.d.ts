import type { BenchCtx } from './lib.js';
export default function syncBench(ctx: BenchCtx): Promise<object[]>;
