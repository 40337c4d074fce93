/**
 * The ingest job's worker limits, apart from the port (ingest-port.ts) so that a launcher can start the
 * job with them without loading the engine (electron/bench/ingest-launcher.ts).
 */
import type { ResourceLimits } from 'node:worker_threads';

/**
 * The young generation of the ingest job's isolate, MB (V8's default: 48, i.e. 16 MB semi-spaces). The
 * post-ingest phases allocate fast (the detectors' scans, the UNIQUE_ID decoding), and a young generation
 * that large let each phase's peak stand 30-35 MB above the same work with 12 MB (5M access lines; the
 * load itself allocates little: docs/PERFORMANCE.md, sessions 8 and 9).
 */
export const INGEST_JOB_YOUNG_GENERATION_MB = 12;

/** The ingest worker's resource limits: the job's young generation, unless `extra` sets its own. */
export function ingestWorkerLimits(extra: ResourceLimits = {}): ResourceLimits {
  return { maxYoungGenerationSizeMb: INGEST_JOB_YOUNG_GENERATION_MB, ...extra };
}
