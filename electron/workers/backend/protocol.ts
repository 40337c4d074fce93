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
  /**
   * How reports become PDF: Chromium through playwright-core (browser mode), the host (Electron
   * prints a hidden window, asked through `print` messages), or not at all (HTML only).
   */
  pdf?: 'chromium' | 'host' | 'none';
}>;

export type ToBackend =
  | Readonly<{ type: 'call'; seq: number; method: string; input: unknown }>
  | Readonly<{ type: 'shutdown' }>
  | Readonly<{ type: 'printed'; id: number; pdf: Uint8Array | null; error: string | null }>;

export type FromBackend =
  | Readonly<{ type: 'ready' }>
  | Readonly<{ type: 'result'; seq: number; envelope: Envelope<unknown> }>
  | Readonly<{ type: 'event'; name: string; payload: unknown }>
  | Readonly<{ type: 'closed' }>
  | Readonly<{ type: 'print'; id: number; job: Readonly<{ html: string; paper: 'a4' | 'letter'; files: ReadonlyArray<string> }> }>;
