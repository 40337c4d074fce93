import type { EventName, EventPayload } from '../../../shared/api/contract';
import type { FileSettings, IngestProgress, IngestSummary, ScanResult } from '../../../shared/domain/evidence';
import type { PdfPrinter } from '../report/pdf-printer';

/** What the back end needs from its host. Plain values and functions: no Electron here. */
export type BackendPorts = Readonly<{
  appVersion: string;
  transport: 'electron' | 'http';
  nativeDialogs: boolean;
  /** Where recent-case lists and the prepared sample case live. */
  userDataDir: string;
  /** Default folder proposed for new cases. */
  defaultCaseDir: string;
  /** The bundled sample evidence folder (resources/sample-case), or null when not shipped. */
  sampleEvidenceDir: string | null;
  /** Who is acting, for the audit log when the case names no examiner. */
  osUser: string;
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  now: () => Date;
  ingest: IngestPort;
  /** Prints a report's HTML to PDF (Chromium for the CLI and the loopback server); absent: HTML only. */
  printPdf?: PdfPrinter;
}>;

export type IngestJobRequest = Readonly<{
  dbPath: string;
  root: string;
  timeZone: string;
  files: Readonly<Record<string, FileSettings>>;
  batchRows?: number;
}>;

/** Ingest runs off this thread (a worker in the app; in process for the CLI and tests). */
export type IngestPort = Readonly<{
  scan: (root: string, known: (relPath: string, size: number, mtimeMs: number) => boolean) => Promise<ScanResult>;
  /** Full integrity check of a case file off this thread: 'ok' or what is wrong. */
  integrityCheck: (dbPath: string) => Promise<string>;
  run: (job: IngestJobRequest, hooks: Readonly<{ signal: AbortSignal; onProgress: (p: IngestProgress) => void }>) => Promise<IngestSummary>;
}>;
