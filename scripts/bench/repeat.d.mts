export type RepeatFigure = Readonly<{ median: number; min: number; max: number }>;
export type RepeatSummary = Readonly<{ size: string; kind: string; runs: number; figures: Readonly<Record<string, RepeatFigure | null>> }>;
export declare const REPEAT_FIGURES: ReadonlyArray<readonly [string, (r: unknown) => number | null, string]>;
export declare function summariseRuns(results: ReadonlyArray<unknown>): RepeatSummary[];
export declare function repeatTable(summary: ReadonlyArray<RepeatSummary>): string;
