/**
 * The command-line interface: `npx dossier --help`. It uses the same services as the app, in process
 * (a CLI has no UI thread to keep free).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DossierError } from '../../shared/api/errors';
import type { RestartsData } from '../../shared/domain/process';
import { openCaseReadOnly } from '../db/case-file';
import type { ReadableDb } from '../db/connection/sql';
import { verifyAudit } from '../db/queries/audit';
import { getCaseInfo } from '../db/queries/case-info';
import { APP_VERSION, defaultCaseDir, osUser, sampleEvidenceDir, userDataDir } from '../services/app-paths';
import { createBackend } from '../services/registry/create-handlers';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { exportEvents } from '../services/export-events';
import { findingsJson } from '../services/findings-service';
import { isKnownZone } from '../services/case-session';
import { REPORT_SECTION_IDS, ReportOptions, ReportSectionId } from '../../shared/api/methods/reports';
import { chromiumPdfPrinter } from '../services/report/pdf-chromium';
import { createReportService } from '../services/registry/handlers/reports';
import { verifyCase } from '../services/report/verify-case';
import type { BackendPorts } from '../services/ports/ports';

function zoneOption(value: string): string {
  if (!isKnownZone(value)) {
    throw new InvalidArgumentError(`unknown time zone "${value}" (use an IANA name such as Europe/Zurich or UTC)`);
  }
  return value;
}

function cliPorts(): BackendPorts {
  return {
    appVersion: APP_VERSION,
    transport: 'http',
    nativeDialogs: false,
    userDataDir: userDataDir(),
    defaultCaseDir: defaultCaseDir(),
    sampleEvidenceDir: sampleEvidenceDir(),
    osUser: osUser(),
    emit: () => undefined,
    now: () => new Date(),
    ingest: inProcessIngestPort(),
    printPdf: chromiumPdfPrinter(),
  };
}

function cliBackend() {
  return createBackend(cliPorts());
}

function sectionsOption(value: string): ReportSectionId[] {
  const ids = value.split(',').map((s) => s.trim().replace(/-/gu, '_')).filter((s) => s !== '');
  const bad = ids.filter((s) => !ReportSectionId.safeParse(s).success);
  if (bad.length > 0) {
    throw new InvalidArgumentError(`unknown section(s) ${bad.join(', ')} (choose from ${REPORT_SECTION_IDS.join(', ')})`);
  }
  return ids as ReportSectionId[];
}

function tableCount(db: ReadableDb, table: string): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?").get(table);
  return exists === undefined ? 0 : (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

export function caseInfoReport(path: string) {
  const opened = openCaseReadOnly(resolve(path));
  try {
    const info = getCaseInfo(opened.db);
    const audit = verifyAudit(opened.db);
    return {
      path: resolve(path),
      name: info.name,
      number: info.number,
      examiner: info.examiner,
      description: info.description,
      timeZone: info.time_zone,
      classification: info.classification,
      createdUtc: info.created_utc,
      modifiedUtc: info.modified_utc,
      createdByVersion: info.created_by_version,
      schemaVersion: opened.userVersion,
      integrity: 'ok',
      schema: { ok: opened.schemaDifference === null, difference: opened.schemaDifference },
      counts: { evidence: tableCount(opened.db, 'evidence'), events: tableCount(opened.db, 'events'), auditEntries: audit.length },
      audit: { length: audit.length, headHash: audit.headHash, chainOk: audit.ok, brokenAt: audit.brokenAt, reason: audit.reason },
    };
  } finally {
    opened.close();
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The `dossier restarts --json` shape (snake_case, ISO 8601 UTC bounds). */
export function restartsReport(data: RestartsData) {
  return {
    restarts: data.estimates.map((r) => ({
      kind: r.kind,
      start: iso(r.start),
      end: iso(r.end),
      slots: r.slots,
      old_pids: r.oldPids,
      new_pids: r.newPids,
      evidence: r.evidence.map((e) => e.text),
      auth_match: r.authMatch === null ? null : { time: iso(r.authMatch.time), user: r.authMatch.user, command: r.authMatch.command, delta_s: r.authMatch.deltaS },
    })),
    auth_commands: data.authCommands.map((c) => ({ time: iso(c.time), user: c.user, command: c.command, matched: c.matchedEstimateId !== null })),
    clock_offset_s: data.clockOffset === null ? null : { median: data.clockOffset.medianS, spread: data.clockOffset.spreadS },
  };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dossier')
    .description('Dossier: offline investigation workbench for web-server incidents.')
    .version(APP_VERSION)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('new')
    .description('create a new, empty case file')
    .argument('<file.dossier>', 'path of the case file to create (never overwritten)')
    .requiredOption('--name <name>', 'case name')
    .option('--number <number>', 'case number', '')
    .option('--examiner <examiner>', 'examiner name', '')
    .option('--description <text>', 'description', '')
    .option('--classification <marking>', 'classification marking, e.g. TLP:AMBER', '')
    .option('--tz <zone>', 'default time zone (IANA name)', zoneOption, 'UTC')
    .option('--json', 'print the case summary as JSON')
    .action(async (file: string, opts: { name: string; number: string; examiner: string; description: string; classification: string; tz: string; json?: boolean }) => {
      const backend = cliBackend();
      try {
        const summary = backend.session.create({
          path: file,
          name: opts.name,
          number: opts.number,
          examiner: opts.examiner,
          description: opts.description,
          classification: opts.classification,
          timeZone: opts.tz,
        });
        console.log(opts.json === true ? JSON.stringify(summary, null, 2) : `Created ${summary.path} (${summary.name}).`);
      } finally {
        await backend.dispose();
      }
    });

  program
    .command('info')
    .description('describe a case file: metadata, counts, integrity and audit chain')
    .argument('<file.dossier>', 'case file')
    .option('--json', 'print JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const report = caseInfoReport(file);
      if (opts.json === true) {
        console.log(JSON.stringify(report, null, 2));
        return;
      }
      console.log(`${report.name}${report.number !== '' ? ` (${report.number})` : ''}`);
      console.log(`  file:        ${report.path}`);
      console.log(`  examiner:    ${report.examiner || '-'}`);
      console.log(`  time zone:   ${report.timeZone}`);
      console.log(`  created:     ${report.createdUtc}   modified: ${report.modifiedUtc}`);
      console.log(`  evidence:    ${report.counts.evidence} files, ${report.counts.events} events`);
      console.log(`  audit log:   ${report.audit.length} entries, ${report.audit.chainOk ? 'chain intact' : `CHAIN BROKEN at entry ${report.audit.brokenAt}: ${report.audit.reason}`}`);
      console.log(`  head hash:   ${report.audit.headHash}`);
      if (!report.schema.ok) {
        console.log(`  schema:      ALTERED OUTSIDE DOSSIER: ${report.schema.difference}`);
      }
      if (!report.audit.chainOk || !report.schema.ok) {
        process.exitCode = 3;
      }
    });

  program
    .command('ingest')
    .description('ingest a case folder into a case file (created when missing); the folder is only read')
    .argument('<folder>', 'case folder (evidence), never modified')
    .requiredOption('--case <file.dossier>', 'case file')
    .option('--tz <zone>', 'time zone of wall-clock times (default: the case zone, UTC for a new case)', zoneOption)
    .option('--name <name>', 'case name when the case file is created')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress on stderr')
    .addOption(new Option('--batch-rows <n>', 'rows per committed batch (tests)').argParser((v) => Number(v)).hideHelp())
    .action(async (folder: string, opts: { case: string; tz?: string; name?: string; json?: boolean; quiet?: boolean; batchRows?: number }) => {
      const backend = cliBackend();
      try {
        if (existsSync(resolve(opts.case))) {
          backend.session.open(opts.case);
        } else {
          backend.session.create({
            path: opts.case, name: opts.name ?? basename(resolve(folder)), number: '', examiner: '', description: '',
            classification: '', timeZone: opts.tz ?? 'UTC',
          });
        }
        let last = 0;
        const showProgress = opts.quiet !== true && process.stderr.isTTY === true;
        const summary = await backend.ingest.runAndWait(folder, opts.tz, {}, opts.batchRows, (p) => {
          if (showProgress && Date.now() - last > 500) {
            last = Date.now();
            const pct = p.bytesTotal > 0 ? Math.round((p.bytesDone * 100) / p.bytesTotal) : 0;
            process.stderr.write(`\r${p.phase} ${pct}%  ${p.lines.toLocaleString('en')} lines  ${p.linesPerSecond.toLocaleString('en')} lines/s  ${p.currentFile ?? ''}`.slice(0, 160).padEnd(100));
          }
        });
        if (showProgress) {
          process.stderr.write('\n');
        }
        if (opts.json === true) {
          console.log(JSON.stringify({
            case: resolve(opts.case), root: summary.root, status: summary.status, lines: summary.lines, elapsedMs: summary.elapsedMs, unchanged: summary.unchanged,
            evidence: summary.evidence.map((e) => ({ path: e.path, sha256: e.sha256, md5: e.md5, format: e.format, outcome: e.outcome, status: e.status,
              lines: e.lines, events: e.events, raw_only: e.rawOnly, first: e.first, last: e.last, detail: e.detail })),
          }, null, 2));
        } else {
          for (const e of summary.evidence) {
            console.log(`${e.format.padEnd(14)} ${String(e.lines).padStart(9)} lines ${String(e.rawOnly).padStart(7)} raw  ${e.path}${e.detail !== '' ? `  (${e.detail})` : ''}`);
          }
          console.log(`${summary.status}: ${summary.lines} lines in ${(summary.elapsedMs / 1000).toFixed(1)} s; ${summary.unchanged} file(s) already in the case.`);
        }
        if (summary.status !== 'complete') {
          process.exitCode = 1;
        }
      } finally {
        await backend.dispose();
      }
    });

  program
    .command('restarts')
    .description('estimate Apache restarts (UNIQUE_ID worker turnover + error log) and match them to auth.log commands')
    .argument('<file.dossier>', 'case file')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const backend = cliBackend();
      try {
        backend.session.open(resolve(file));
        const data = await backend.handlers['process.restarts']({});
        const report = restartsReport(data);
        if (opts.json === true) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        for (const r of report.restarts) {
          const m = r.auth_match === null ? 'unexplained' : `${r.auth_match.user ?? '?'}: ${r.auth_match.command} (${r.auth_match.delta_s} s)`;
          console.log(`${r.kind === 'full' ? 'restart' : 'slot   '} ${r.start} .. ${r.end}  slots ${r.slots.join(',') || '-'}  ${m}`);
        }
        for (const c of report.auth_commands) {
          console.log(`command ${c.time} ${c.user ?? '?'}: ${c.command}${c.matched ? '' : '  (no effect seen)'}`);
        }
        console.log(report.clock_offset_s === null ? 'clock offset: no matched pairs' : `clock offset auth.log -> Apache: ${report.clock_offset_s.median} s (spread ${report.clock_offset_s.spread} s)`);
      } finally {
        await backend.dispose();
      }
    });

  program
    .command('export')
    .description('export events as JSONL or CSV (Timesketch columns, provenance, time provenance)')
    .argument('<file.dossier>', 'case file')
    .requiredOption('--format <format>', 'jsonl or csv')
    .option('--source <kind>', 'only events of this source kind (apache_access, apache_error, auth, syslog, fail2ban, text)')
    .option('--out <file>', 'write to a file instead of standard output')
    .action((file: string, opts: { format: string; source?: string; out?: string }) => {
      if (opts.format !== 'jsonl' && opts.format !== 'csv') {
        throw new InvalidArgumentError('--format must be jsonl or csv');
      }
      const opened = openCaseReadOnly(resolve(file));
      const fd = opts.out === undefined ? 1 : openSync(resolve(opts.out), 'wx');
      let buffer = '';
      const flush = (): void => {
        if (buffer !== '') {
          writeSync(fd, buffer);
          buffer = '';
        }
      };
      try {
        exportEvents(opened.db, {
          format: opts.format,
          ...(opts.source === undefined ? {} : { sourceKind: opts.source }),
          write: (chunk) => {
            buffer += chunk;
            if (buffer.length > 1 << 20) {
              flush();
            }
          },
        });
        flush();
      } catch (error) {
        if ((error as { code?: string }).code !== 'EPIPE') {
          throw error;
        }
      } finally {
        opened.close();
        if (fd !== 1) {
          closeSync(fd);
        }
      }
    });

  program
    .command('report')
    .description('write the case report as PDF and/or HTML (audited; the report records the audit head hash)')
    .argument('<file.dossier>', 'case file')
    .option('--pdf <out.pdf>', 'PDF file to write (never overwritten)')
    .option('--html <out.html>', 'self-contained HTML file to write (never overwritten)')
    .option('--sections <list>', `comma-separated sections in order (${REPORT_SECTION_IDS.join(',')})`, sectionsOption)
    .option('--paper <size>', 'a4 or letter', 'a4')
    .option('--classification <marking>', 'classification marking (default: the case marking)')
    .option('--findings <scope>', 'which findings: confirmed, not_false_positive or all', 'confirmed')
    .option('--summary-note <id>', 'the note shown as executive summary (its id)')
    .option('--json', 'print what was written as JSON')
    .action(async (file: string, opts: { pdf?: string; html?: string; sections?: ReportSectionId[]; paper: string; classification?: string; findings: string; summaryNote?: string; json?: boolean }) => {
      if (opts.pdf === undefined && opts.html === undefined) {
        throw new InvalidArgumentError('give --pdf <out.pdf> and/or --html <out.html>');
      }
      if (opts.paper !== 'a4' && opts.paper !== 'letter') {
        throw new InvalidArgumentError('--paper must be a4 or letter');
      }
      if (opts.findings !== 'confirmed' && opts.findings !== 'not_false_positive' && opts.findings !== 'all') {
        throw new InvalidArgumentError('--findings must be confirmed, not_false_positive or all');
      }
      if (opts.summaryNote !== undefined && !/^[1-9]\d{0,8}$/u.test(opts.summaryNote)) {
        throw new InvalidArgumentError('--summary-note must be a note id (a positive whole number)');
      }
      const options = ReportOptions.parse({
        paper: opts.paper,
        ...(opts.sections === undefined ? {} : { sections: opts.sections }),
        ...(opts.classification === undefined ? {} : { classification: opts.classification }),
        findings: opts.findings,
        summaryNoteId: opts.summaryNote === undefined ? null : Number(opts.summaryNote),
      });
      const backend = cliBackend();
      try {
        backend.session.open(file);
        const reports = createReportService(backend.session, cliPorts());
        const written = [];
        if (opts.html !== undefined) {
          written.push({ format: 'html', ...(await reports.save(options, 'html', opts.html)) });
        }
        if (opts.pdf !== undefined) {
          written.push({ format: 'pdf', ...(await reports.save(options, 'pdf', opts.pdf)) });
        }
        if (opts.json === true) {
          console.log(JSON.stringify(written, null, 2));
        } else {
          for (const w of written) {
            console.log(`Wrote ${w.path} (${w.format}, ${w.bytes} bytes, sha256 ${w.sha256}); audit head ${w.auditHeadHash}.`);
          }
        }
      } finally {
        await backend.dispose();
      }
    });

  program
    .command('verify')
    .description('check a case file: integrity, audit chain and (with --evidence) every evidence file against its recorded SHA-256')
    .argument('<file.dossier>', 'case file (only read)')
    .option('--evidence <folder>', 'the evidence folder the case was made from')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { evidence?: string; json?: boolean }) => {
      const result = await verifyCase(file, opts.evidence);
      if (opts.json === true) {
        console.log(JSON.stringify(result, null, 2));
      } else {
        console.log(`${result.path}`);
        console.log(`  integrity:   ${result.integrity.ok ? 'ok' : `FAILED: ${result.integrity.detail}`}`);
        if (!result.schema.ok && result.schema.difference !== null) {
          console.log(`  schema:      ALTERED OUTSIDE DOSSIER: ${result.schema.difference}`);
        }
        console.log(`  audit chain: ${result.audit.ok ? `intact, ${result.audit.length} entries, head ${result.audit.headHash}` : `BROKEN${result.audit.brokenAt === null ? '' : ` at entry ${result.audit.brokenAt}`}: ${result.audit.reason ?? ''}`}`);
        for (const e of result.evidence ?? []) {
          console.log(`  ${e.status.toUpperCase().padEnd(11)}  ${e.path}${e.status === 'changed' ? `  (expected ${e.expected}, found ${e.actual})` : ''}`);
        }
        console.log(result.ok ? 'OK' : 'PROBLEMS FOUND');
      }
      if (!result.ok) {
        process.exitCode = 4;
      }
    });

  program
    .command('findings')
    .description('list the findings of the detectors (web attacks, brute force, fail2ban, floods, crashes), most severe first')
    .argument('<file.dossier>', 'case file')
    .option('--json', 'print JSON: [{ rule, category, severity, first, last, count, src_ips, users, sample_events: [{ evidence, line }] }]')
    .action((file: string, opts: { json?: boolean }) => {
      const opened = openCaseReadOnly(resolve(file));
      try {
        const list = findingsJson(opened.db);
        if (opts.json === true) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        for (const f of list) {
          console.log(`${f.severity.toUpperCase().padEnd(8)} ${f.rule.padEnd(28)} ${String(f.count).padStart(7)}  ${f.first ?? '-'} .. ${f.last ?? '-'}  ${f.title}`);
        }
        if (list.length === 0) {
          console.log('no findings');
        }
      } finally {
        opened.close();
      }
    });

  return program;
}

export async function runCli(argv: ReadonlyArray<string>): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (or the help text)
      return error.exitCode;
    }
    const message = error instanceof DossierError ? error.message : error instanceof Error ? error.message : String(error);
    console.error(`dossier: ${message}`);
    return 2;
  }
}

const isMain = process.argv[1] !== undefined && /(?:cli\.js|dossier(?:\.mjs)?)$/u.test(process.argv[1]);
if (isMain) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
