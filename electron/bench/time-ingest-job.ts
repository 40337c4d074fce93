/**
 * Runs one ingest job exactly as the app does (runIngestJob) and times each of its phases, wall and
 * CPU (the process's CPU time: all threads, so the index sorter's helper thread counts too).
 */
import type { IngestProgress, IngestSummary } from '../workers/ingest/ingest-engine';
import { runIngestJob, type IngestJob } from '../workers/ingest/run-ingest-job';

export type TimedIngestJob = {
  summary: IngestSummary;
  /** `${phase}Ms` -> wall ms, in the job's order. */
  phases: Record<string, number>;
  /** `${phase}Ms` -> CPU ms (user + system) of the process during that phase. */
  phasesCpu: Record<string, number>;
};

export async function timeIngestJob(
  job: IngestJob,
  hooks: Readonly<{ onProgress?: (p: IngestProgress) => void; afterPhase?: (name: string) => void }> = {},
): Promise<TimedIngestJob> {
  const phases: Record<string, number> = {};
  const phasesCpu: Record<string, number> = {};
  let cpuMark = process.cpuUsage();
  const summary = await runIngestJob(job, {
    ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
    onPhase: (name, ms) => {
      const cpu = process.cpuUsage(cpuMark);
      phases[`${name}Ms`] = Math.round(ms);
      phasesCpu[`${name}Ms`] = Math.round((cpu.user + cpu.system) / 1000);
      hooks.afterPhase?.(name);
      cpuMark = process.cpuUsage();
    },
  });
  return { summary, phases, phasesCpu };
}
