import type { IngestProgress, IngestSummary } from './ingest-engine';
import type { IngestJob } from './run-ingest-job';

export type ToIngestWorker = Readonly<{ type: 'start'; job: IngestJob }> | Readonly<{ type: 'cancel' }> | Readonly<{ type: 'check'; dbPath: string }>;

export type FromIngestWorker =
  | Readonly<{ type: 'progress'; progress: IngestProgress }>
  | Readonly<{ type: 'done'; summary: IngestSummary }>
  | Readonly<{ type: 'error'; message: string }>
  | Readonly<{ type: 'checked'; result: string }>;
