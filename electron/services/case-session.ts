import { resolve } from 'node:path';
import { DossierError } from '../../shared/api/errors';
import type { AuditEntry, AuditVerification, CaseMetaFields, CaseMetaPatch, CaseSummary } from '../../shared/domain/case';
import { closeCaseFile, copyCaseFile, createCaseFile, openCaseFile, type OpenCase } from '../db/case-file';
import { mapDbError } from '../db/connection/errors';
import { appendAudit, listAudit, verifyAudit } from '../db/queries/audit';
import { getCaseInfo, updateCaseInfo } from '../db/queries/case-info';
import type { BackendPorts } from './ports/ports';
import { createRecentCases } from './recent-cases';

/**
 * The one case this back end has open, and the operations on it. All audit entries are written
 * in the same transaction as the change they record.
 */
export class CaseSession {
  readonly #ports: BackendPorts;
  readonly #recent: ReturnType<typeof createRecentCases>;
  #open: OpenCase | null = null;
  #integrity: { state: 'ok' | 'checking' | 'damaged'; detail: string | null } = { state: 'ok', detail: null };
  #listeners: Array<(open: OpenCase | null) => void> = [];

  constructor(ports: BackendPorts) {
    this.#ports = ports;
    this.#recent = createRecentCases(ports.userDataDir);
  }

  get recent() {
    return this.#recent;
  }

  /** The open case, or a clear error when none is. */
  requireOpen(): OpenCase {
    if (this.#open === null) {
      throw new DossierError('no_case_open', 'No case is open. Open or create a case first.');
    }
    return this.#open;
  }

  get current(): OpenCase | null {
    return this.#open;
  }

  /** Called with the new case (or null) whenever the open case changes. */
  onChange(listener: (open: OpenCase | null) => void): void {
    this.#listeners.push(listener);
  }

  actor(): string {
    if (this.#open !== null) {
      const examiner = getCaseInfo(this.#open.db).examiner;
      if (examiner !== '') {
        return examiner;
      }
    }
    return this.#ports.osUser;
  }

  summary(): CaseSummary {
    const open = this.requireOpen();
    const info = getCaseInfo(open.db);
    const count = (table: string): number => {
      const exists = open.db.prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?").get(table);
      return exists === undefined ? 0 : (open.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    };
    return {
      path: open.path,
      name: info.name,
      number: info.number,
      examiner: info.examiner,
      description: info.description,
      timeZone: info.time_zone,
      classification: info.classification,
      createdUtc: info.created_utc,
      modifiedUtc: info.modified_utc,
      schemaVersion: open.schemaVersion,
      appVersion: this.#ports.appVersion,
      readOnly: false,
      integrity: this.#integrity.state,
      integrityDetail: this.#integrity.detail,
      counts: { evidence: count('evidence'), events: count('events'), auditEntries: count('audit') },
    };
  }

  #setOpen(open: OpenCase | null): void {
    this.#open = open;
    for (const l of this.#listeners) {
      l(open);
    }
    this.#ports.emit('cases.onChanged', open === null ? null : this.summary());
  }

  #audit(action: string, target: string, details?: unknown): AuditEntry {
    const open = this.requireOpen();
    return appendAudit(open.db, { actor: this.actor(), action, target, details, atUtc: this.#ports.now().toISOString() });
  }

  /** Runs `fn` and its audit entry in one immediate transaction. */
  write<T>(fn: (open: OpenCase) => T): T {
    const open = this.requireOpen();
    try {
      return open.db.transaction(() => fn(open)).immediate();
    } catch (error) {
      throw mapDbError(error, 'Saving to the case file');
    }
  }

  audit(action: string, target: string, details?: unknown): AuditEntry {
    return this.write(() => this.#audit(action, target, details));
  }

  create(input: CaseMetaFields & { path: string }): CaseSummary {
    const path = resolve(input.path);
    this.close();
    const open = createCaseFile({ ...input, path, actor: input.examiner !== '' ? input.examiner : this.#ports.osUser, appVersion: this.#ports.appVersion });
    this.#open = open;
    this.audit('case.open', 'case', { path, appVersion: this.#ports.appVersion });
    this.#recent.remember(path, input.name, this.#ports.now().toISOString());
    this.#setOpen(open);
    return this.summary();
  }

  open(pathIn: string): CaseSummary {
    const path = resolve(pathIn);
    if (this.#open !== null && this.#open.path === path) {
      return this.summary();
    }
    const next = openCaseFile(path);
    this.close();
    this.#open = next;
    this.#markInterrupted(next);
    if (next.upgradedFrom !== null) {
      this.audit('case.upgrade', 'case', { from: next.upgradedFrom.version, to: next.schemaVersion, backup: next.upgradedFrom.backup });
    }
    this.audit('case.open', 'case', { path, appVersion: this.#ports.appVersion });
    this.#integrity = { state: next.fullCheckPending ? 'checking' : 'ok', detail: null };
    if (next.fullCheckPending) {
      void this.#checkInBackground(next);
    }
    const info = getCaseInfo(next.db);
    this.#recent.remember(path, info.name, this.#ports.now().toISOString());
    this.#setOpen(next);
    return this.summary();
  }

  /** The full integrity check of a large case, off this thread; the case stays usable meanwhile. */
  async #checkInBackground(open: OpenCase): Promise<void> {
    const result = await this.#ports.ingest.integrityCheck(open.path);
    if (this.#open !== open) {
      return;
    }
    const ok = result === 'ok';
    this.#integrity = { state: ok ? 'ok' : 'damaged', detail: ok ? null : result.slice(0, 2000) };
    if (!ok) {
      this.audit('case.integrity_failed', 'case', { detail: result.slice(0, 2000) });
    }
    this.#ports.emit('cases.onIntegrity', { path: open.path, ok, detail: ok ? 'The full integrity check passed.' : `The case file is damaged: ${result.slice(0, 500)}` });
    this.#ports.emit('cases.onChanged', this.summary());
  }

  /** An ingest that was running when Dossier stopped (crash, kill): its committed batches stay, marked partial. */
  #markInterrupted(open: OpenCase): void {
    const hasTable = open.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'ingests'").get() !== undefined;
    if (!hasTable) {
      return;
    }
    const n = open.db.transaction(() => {
      const changed = open.db
        .prepare(
          `UPDATE evidence SET status = 'partial',
             outcome_detail = trim(outcome_detail || ' Interrupted: Dossier stopped during the ingest; the lines committed before are kept. Ingest the folder again to complete it.')
           WHERE status IN ('running', 'pending')`,
        )
        .run().changes;
      open.db.prepare("UPDATE ingests SET status = 'interrupted', finished_utc = coalesce(finished_utc, ?) WHERE status = 'running'").run(this.#ports.now().toISOString());
      return changed;
    }).immediate();
    if (n > 0) {
      this.audit('ingest.interrupted', 'case', { partialEvidence: n });
    }
  }

  close(): boolean {
    const open = this.#open;
    if (open === null) {
      return false;
    }
    try {
      this.audit('case.close', 'case');
    } catch (error) {
      // A full disk must not keep a case open: what was committed is in the file (or its WAL) already,
      // and only this informational entry is missing (the next open is audited). Anything else is reported.
      if (!(error instanceof DossierError && error.code === 'disk_full')) {
        throw error;
      }
    } finally {
      this.#open = null;
      closeCaseFile(open);
      this.#setOpen(null);
    }
    return true;
  }

  updateMeta(patch: CaseMetaPatch): CaseSummary {
    if (patch.timeZone !== undefined && !isKnownZone(patch.timeZone)) {
      throw new DossierError('bad_input', `Unknown time zone "${patch.timeZone}".`);
    }
    this.write((open) => {
      const changes = updateCaseInfo(open.db, patch, this.#ports.now().toISOString());
      for (const [field, change] of Object.entries(changes)) {
        this.#audit('case.update', `case.${field}`, change);
      }
    });
    const s = this.summary();
    this.#recent.remember(s.path, s.name, this.#ports.now().toISOString());
    this.#ports.emit('cases.onChanged', s);
    return s;
  }

  /** Copies the case to a new file (consistent snapshot, WAL included) and continues in the copy. */
  saveAs(destinationIn: string): CaseSummary {
    const destination = resolve(destinationIn);
    const open = this.requireOpen();
    if (destination === open.path) {
      return this.summary();
    }
    this.audit('case.saveAs', 'case', { from: open.path, to: destination });
    copyCaseFile(open, destination);
    this.close();
    return this.open(destination);
  }

  listAudit(limit: number, beforeSeq?: number) {
    return listAudit(this.requireOpen().db, limit, beforeSeq);
  }

  verifyAudit(): AuditVerification {
    return verifyAudit(this.requireOpen().db);
  }
}

export function isKnownZone(zone: string): boolean {
  if (zone === 'UTC') {
    return true;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
