export type PhaseRun = Readonly<{ phaseOrder?: readonly string[]; phases: Readonly<Record<string, number>>; phasesCpu?: Readonly<Record<string, number>>; phasesPeakRssMb?: Readonly<Record<string, number | null>> | null }>;
export declare function jobFigures(r: PhaseRun): { exclFtsMs: number; exclFtsCpuMs: number };
export declare function phaseTable(
  results: ReadonlyArray<Readonly<{ size: string; kind: string; ingest: PhaseRun & Readonly<{ jobExclFtsMs: number; jobExclFtsCpuMs: number }> }>>,
): string;
