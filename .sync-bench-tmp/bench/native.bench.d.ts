import { type BenchCtx, type Row } from './lib.js';
export default function nativeBench(ctx: BenchCtx): Promise<Row[]>;
