export type AlternationRun = Readonly<{ variant: string; ingestMs: number; indexMs: number; peakRssMb: number | null }>;
export type AlternationSummary = Readonly<{
  variant: string;
  runs: number;
  totalMinMs: number | null;
  totalMedianMs: number | null;
  ingestMinMs: number | null;
  ingestMedianMs: number | null;
  peakRssMb: readonly [number, number] | null;
}>;
export declare function parseVariant(spec: string): Readonly<{ name: string; dir: string; nodeArgs: readonly string[] }>;
export declare function summariseAlternation(runs: ReadonlyArray<AlternationRun>, variants: readonly string[]): AlternationSummary[];
