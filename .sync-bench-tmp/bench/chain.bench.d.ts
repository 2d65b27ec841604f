import type { BenchCtx } from './lib.js';
export default function chainBench(ctx: BenchCtx): Promise<object[]>;
