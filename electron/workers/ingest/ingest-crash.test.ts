import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, openCaseFile } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { bundleEntry, REPO_ROOT } from '../../testing/bundle';

const ACCESS = (i: number): string =>
  `192.0.2.${i % 250} - - [10/Oct/2023:13:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /item/${i} HTTP/1.1" 200 ${i % 5000} "-" "bench/${i % 7}"`;

/** Ingests recorded in the case so far (0 while the case file or its tables do not exist yet). */
function ingestCount(casePath: string): number {
  if (!existsSync(casePath)) {
    return 0;
  }
  try {
    const db = new Database(casePath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM ingests').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Runs the CLI and kills it `killAfterMs` after its ingest started (its row in `ingests` appeared),
 * so that the kill lands in the ingest however slowly Node starts on a loaded machine.
 */
function runUntilKilled(cli: string, folder: string, casePath: string, killAfterMs: number, userData: string): Promise<number | null> {
  return new Promise((resolve) => {
    const before = ingestCount(casePath);
    const child = spawn(process.execPath, [cli, 'ingest', folder, '--case', casePath, '--quiet', '--batch-rows', '3000'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DOSSIER_USER_DATA: userData },
      stdio: 'ignore',
    });
    let timer: NodeJS.Timeout | null = null;
    const poll = setInterval(() => {
      if (timer === null && ingestCount(casePath) > before) {
        clearInterval(poll);
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (timer !== null) {
        clearTimeout(timer);
      }
      resolve(code);
    });
  });
}

describe('kill -9 in the middle of an ingest', () => {
  let tmp: TempDir;
  let cli: string;
  beforeAll(async () => {
    tmp = makeTempDir();
    cli = await bundleEntry('electron/cli/cli.ts', 'cli');
    const folder = tmp.file('evidence');
    mkdirSync(folder);
    for (let f = 0; f < 3; f += 1) {
      writeFileSync(join(folder, `access.log.${f}`), `${Array.from({ length: 60_000 }, (_, i) => ACCESS(i + f)).join('\n')}\n`);
    }
  });
  afterAll(() => tmp.cleanup());

  it('twenty times in a row: the case opens, passes integrity_check, and holds only whole batches', async () => {
    const casePath = tmp.file('crash.dossier');
    // 20 kills after the ingest started, landing in reading, committing, indexing and full-text
    // phases as the case grows.
    const delays = Array.from({ length: 20 }, (_, i) => 50 + i * 100);
    let killed = 0;
    let beforeCase = 0;
    let files = 3;
    for (const delay of delays) {
      // Fresh work for every run: a new evidence file, so each kill lands in the middle of an ingest.
      writeFileSync(join(tmp.file('evidence'), `access.log.${files}`), `${Array.from({ length: 60_000 }, (_, i) => ACCESS(i + files)).join('\n')}\n`);
      files += 1;
      const code = await runUntilKilled(cli, tmp.file('evidence'), casePath, delay, tmp.file('ud'));
      if (code === null && !existsSync(casePath)) {
        // Killed before the case file existed (cannot happen with the start signal above; counted).
        beforeCase += 1;
        continue;
      }
      if (code === null) {
        killed += 1;
      }
      // The case opens (lock released by the OS, quick_check passes on open).
      const open = openCaseFile(casePath);
      closeCaseFile(open);
      const db = new Database(casePath, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ev = db.prepare('SELECT id, lines, events, raw_only FROM evidence').all() as Array<{ id: number; lines: number; events: number; raw_only: number }>;
      for (const e of ev) {
        const stored = (db.prepare('SELECT count(*) AS n FROM events WHERE evidence_id = ?').get(e.id) as { n: number }).n;
        const batches = db.prepare('SELECT first_line, last_line, rows FROM ingest_batches WHERE evidence_id = ? ORDER BY batch_no').all(e.id) as Array<{ first_line: number; last_line: number; rows: number }>;
        // Only whole batches: the events are exactly the sum of the committed batches, lines contiguous from 1.
        expect(stored).toBe(batches.reduce((n, b) => n + b.rows, 0));
        expect(e.lines).toBe(stored);
        expect(e.events + e.raw_only).toBe(stored);
        let next = 1;
        for (const b of batches) {
          expect(b.first_line).toBe(next);
          expect(b.last_line - b.first_line + 1).toBe(b.rows);
          next = b.last_line + 1;
        }
        const maxLine = (db.prepare('SELECT coalesce(max(line_no), 0) AS m FROM events WHERE evidence_id = ?').get(e.id) as { m: number }).m;
        expect(maxLine).toBe(stored);
        const rawLines = (db.prepare('SELECT coalesce(sum(line_count), 0) AS n FROM raw_blocks WHERE evidence_id = ?').get(e.id) as { n: number }).n;
        expect(rawLines).toBe(stored);
      }
      db.close();
    }
    expect(beforeCase).toBe(0);
    expect(killed).toBeGreaterThanOrEqual(18);
    console.info(`[ingest-crash] ${delays.length} kill -9 runs, ${killed} killed mid-ingest, ${beforeCase} before the case file existed, each case consistent`);
    // After the kills, one full run completes the case: every line of every file, once.
    const code = await runUntilKilled(cli, tmp.file('evidence'), casePath, 120_000, tmp.file('ud'));
    expect(code).toBe(0);
    const db = new Database(casePath, { readonly: true });
    const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    expect(total).toBe(files * 60_000);
    const statuses = db.prepare("SELECT rel_path, status FROM evidence WHERE format != 'archive' ORDER BY rel_path").all() as Array<{ rel_path: string; status: string }>;
    expect(statuses).toHaveLength(files);
    expect(statuses.every((e) => e.status === 'complete')).toBe(true);
    db.close();
  }, 400_000);
});
