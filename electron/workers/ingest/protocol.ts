import type { IngestProgress, IngestSummary } from './ingest-engine';
import type { IngestJob } from './run-ingest-job';

export type ToIngestWorker = Readonly<{ type: 'start'; job: IngestJob }> | Readonly<{ type: 'cancel' }>;

export type FromIngestWorker =
  | Readonly<{ type: 'progress'; progress: IngestProgress }>
  | Readonly<{ type: 'done'; summary: IngestSummary }>
  | Readonly<{ type: 'error'; message: string }>;
