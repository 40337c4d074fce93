import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DossierError } from '../../shared/api/errors';
import type { EvidenceItem, EvidenceUpdate, FileSettings, IngestProgress, IngestStatus, IngestSummary, ScanResult } from '../../shared/domain/evidence';
import { listEvidence, getEvidence, retimeEvidence } from '../db/queries/evidence';
import { fullTextProgress } from '../db/queries/full-text';
import type { CaseSession } from './case-session';
import { isKnownZone } from './case-session';
import type { BackendPorts } from './ports/ports';

type Running = { root: string; controller: AbortController; progress: IngestProgress | null; done: Promise<IngestSummary | null> };

/** Ingest of case folders into the open case, one at a time, with progress, cancel and audit. */
export class IngestService {
  readonly #ports: BackendPorts;
  readonly #session: CaseSession;
  #running: Running | null = null;
  #last: IngestSummary | null = null;
  #error: string | null = null;
  #extraProgress: ((p: IngestProgress) => void) | null = null;
  #batchRows: number | undefined = undefined;

  constructor(ports: BackendPorts, session: CaseSession) {
    this.#ports = ports;
    this.#session = session;
    // The last summary belongs to the case it ran in.
    session.onChange(() => {
      if (this.#running === null) {
        this.#last = null;
        this.#error = null;
      }
    });
  }

  async scan(folder: string): Promise<ScanResult> {
    const open = this.#session.requireOpen();
    const root = this.#checkFolder(folder);
    const known = open.db.prepare("SELECT 1 FROM evidence WHERE root_path = ? AND rel_path = ? AND size = ? AND mtime_ms = ? AND status = 'complete'");
    return this.#ports.ingest.scan(root, (rel, size, mtime) => known.get(root, rel, size, mtime) !== undefined);
  }

  #checkFolder(folder: string): string {
    const root = resolve(folder);
    if (!existsSync(root)) {
      throw new DossierError('not_found', `No folder at ${root}.`);
    }
    if (!statSync(root).isDirectory()) {
      throw new DossierError('bad_input', `${root} is a file: choose the case folder that holds the evidence.`);
    }
    const open = this.#session.current;
    if (open !== null && (open.path.startsWith(`${root}/`) || open.path === root)) {
      throw new DossierError('bad_input', 'The case file is inside that folder: keep case files outside the evidence folder, which Dossier never writes to.');
    }
    return root;
  }

  /** Starts an ingest in the background; progress and completion arrive as events. */
  start(folder: string, timeZone: string | undefined, files: Readonly<Record<string, FileSettings>>): { started: boolean } {
    if (this.#running !== null) {
      throw new DossierError('busy', 'An ingest is already running in this case. Wait for it or cancel it.');
    }
    const open = this.#session.requireOpen();
    const root = this.#checkFolder(folder);
    const zone = timeZone ?? this.#session.summary().timeZone;
    if (!isKnownZone(zone)) {
      throw new DossierError('bad_input', `Unknown time zone "${zone}".`);
    }
    this.#session.audit('ingest.start', root, { timeZone: zone, files });
    const controller = new AbortController();
    const running: Running = { root, controller, progress: null, done: Promise.resolve(null) };
    this.#running = running;
    this.#error = null;
    running.done = this.#run(open.path, root, zone, files, running);
    return { started: true };
  }

  async #run(dbPath: string, root: string, timeZone: string, files: Readonly<Record<string, FileSettings>>, running: Running): Promise<IngestSummary | null> {
    let summary: IngestSummary | null = null;
    let error: string | null = null;
    try {
      summary = await this.#ports.ingest.run(
        { dbPath, root, timeZone, files, ...(this.#batchRows === undefined ? {} : { batchRows: this.#batchRows }) },
        {
          signal: running.controller.signal,
          onProgress: (p) => {
            running.progress = p;
            this.#extraProgress?.(p);
            this.#ports.emit('ingest.onProgress', p);
          },
        },
      );
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.#running = null;
    this.#extraProgress = null;
    this.#last = summary;
    this.#error = error;
    if (this.#session.current !== null) {
      const counts = summary === null ? null : { status: summary.status, lines: summary.lines, evidence: summary.evidence.length, unchanged: summary.unchanged };
      try {
        this.#session.audit(error === null ? `ingest.${summary?.status ?? 'complete'}` : 'ingest.failed', root, error === null ? counts : { error });
      } catch (e) {
        // The ingest's own outcome stays what the analyst reads (a full disk stops the ingest and then
        // this entry too): the audit problem is added to it, and the end of the ingest is still announced.
        const why = e instanceof Error ? e.message : String(e);
        error = error === null ? `The ingest finished, but its audit entry could not be written. ${why}` : `${error} (Its audit entry could not be written either.)`;
        this.#error = error;
      }
      this.#ports.emit('cases.onChanged', this.#session.summary());
    }
    const done = summary ?? { ingestId: 0, status: 'failed' as const, root, elapsedMs: 0, lines: 0, bytes: 0, evidence: [], unchanged: 0, uac: false };
    this.#ports.emit('ingest.onDone', { ...done, error });
    return summary;
  }

  /** Runs an ingest and waits for it (sample case, CLI). */
  async runAndWait(
    folder: string,
    timeZone: string | undefined,
    files: Readonly<Record<string, FileSettings>>,
    batchRows?: number,
    onProgress?: (p: IngestProgress) => void,
  ): Promise<IngestSummary> {
    this.#extraProgress = onProgress ?? null;
    this.#batchRows = batchRows;
    this.start(folder, timeZone, files);
    const summary = await (this.#running?.done ?? Promise.resolve(null));
    if (summary === null) {
      throw new DossierError('internal', `Ingest failed: ${this.#error ?? 'unknown error'}`);
    }
    return summary;
  }

  async cancel(): Promise<boolean> {
    const r = this.#running;
    if (r === null) {
      return false;
    }
    r.controller.abort(new Error('cancelled by the analyst'));
    await r.done;
    return true;
  }

  status(): IngestStatus {
    const open = this.#session.current;
    const ft = open === null ? { indexed: 0, total: 0, complete: true } : fullTextProgress(open.db);
    return {
      running: this.#running !== null,
      root: this.#running?.root ?? null,
      progress: this.#running?.progress ?? null,
      last: this.#last,
      error: this.#error,
      fullText: { ...ft, building: this.#running !== null && !ft.complete },
    };
  }

  listEvidence(): EvidenceItem[] {
    return listEvidence(this.#session.requireOpen().db);
  }

  updateEvidence(update: EvidenceUpdate): EvidenceItem {
    if (this.#running !== null) {
      throw new DossierError('busy', 'Wait for the ingest to finish before re-timing evidence.');
    }
    if (update.timeZone !== undefined && !isKnownZone(update.timeZone)) {
      throw new DossierError('bad_input', `Unknown time zone "${update.timeZone}".`);
    }
    const before = getEvidence(this.#session.requireOpen().db, update.id);
    if (before === null) {
      throw new DossierError('not_found', `No evidence #${update.id} in this case.`);
    }
    if (update.year !== undefined && before.yearBase === null) {
      throw new DossierError('bad_input', `${before.path} has no inferred year: its times carry their own year.`);
    }
    this.#session.write((open) => {
      const changes = retimeEvidence(open.db, update);
      if (Object.keys(changes).length > 0) {
        this.#session.audit('evidence.retime', `evidence#${update.id} ${before.path}`, changes);
      }
    });
    const after = getEvidence(this.#session.requireOpen().db, update.id);
    if (after === null) {
      throw new DossierError('not_found', `No evidence #${update.id} in this case.`);
    }
    return after;
  }

  /** Cancels a running ingest before the case closes. */
  async beforeClose(): Promise<void> {
    await this.cancel();
  }
}
