export type FloorStage = Readonly<{ wallMs: number; cpuMs: number }>;
export type FloorResult = Readonly<{ lines: number; cores: number; stages: Readonly<Record<string, FloorStage>> }>;
export type Floor = Readonly<{
  label: string; parts: readonly string[]; cpuMs: number; serialMs: number; floorMs: number; linesPerSec: number; lnavRatio: number | null; targetBelowFloor: boolean | null;
}>;
export type FloorSummary = Readonly<{
  lines: number; cores: number; engineMs: number; engineLinesPerSec: number;
  floors: Readonly<{ sqlite: Floor; stack: Floor }>;
  lnav: null | Readonly<{ ms: number; linesPerSec: number; targetMs: number; engineRatio: number }>;
}>;
export declare function floorSummary(result: FloorResult, lnavMs?: number | null): FloorSummary;
export declare function floorTable(result: FloorResult, summary: FloorSummary): string;
