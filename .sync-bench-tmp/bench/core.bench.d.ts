import { type BenchCtx, type Row } from './lib.js';
export default function coreBench(ctx: BenchCtx): Promise<Row[]>;
