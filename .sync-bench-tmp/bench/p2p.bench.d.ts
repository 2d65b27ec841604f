import { type BenchCtx } from './lib.js';
export default function p2pBench(ctx: BenchCtx): Promise<object[]>;
