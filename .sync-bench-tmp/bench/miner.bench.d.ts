import { type BenchCtx, type Row } from './lib.js';
/** A round row also says what share of the devnet round it takes. */
type RoundRow = Row & {
    msPerRound: number;
    ofDevnetRound: string;
};
export default function minerBench(ctx: BenchCtx): Promise<(Row | RoundRow)[]>;
export {};
