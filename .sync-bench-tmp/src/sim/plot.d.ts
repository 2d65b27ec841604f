export interface Series {
    name: string;
    points: readonly (readonly [number, number])[];
    color?: string;
    /** Thin and faint (e.g. one block among many). */
    faint?: boolean;
}
export interface ChartSpec {
    title: string;
    xLabel: string;
    yLabel: string;
    series: readonly Series[];
    /** Vertical markers (claims, bounds). */
    vlines?: readonly {
        x: number;
        label: string;
        color?: string;
    }[];
    xMax?: number;
    yMax?: number;
    width?: number;
    height?: number;
}
/** A "nice" tick step for a range (1, 2 or 5 × 10^k). */
export declare function niceStep(range: number, target?: number): number;
export declare function lineChart(spec: ChartSpec): string;
