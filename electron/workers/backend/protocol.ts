import type { Envelope } from '../../../shared/api/errors';

/** Serializable settings the back-end worker is started with (the rest of BackendPorts is built inside). */
export type BackendWorkerConfig = Readonly<{
  appVersion: string;
  transport: 'electron' | 'http';
  nativeDialogs: boolean;
  userDataDir: string;
  defaultCaseDir: string;
  sampleEvidenceDir: string | null;
  osUser: string;
  /** How reports become PDF: Chromium through playwright-core (browser mode), or not at all (HTML only). */
  pdf?: 'chromium' | 'none';
}>;

export type ToBackend =
  | Readonly<{ type: 'call'; seq: number; method: string; input: unknown }>
  | Readonly<{ type: 'shutdown' }>;

export type FromBackend =
  | Readonly<{ type: 'ready' }>
  | Readonly<{ type: 'result'; seq: number; envelope: Envelope<unknown> }>
  | Readonly<{ type: 'event'; name: string; payload: unknown }>
  | Readonly<{ type: 'closed' }>;
