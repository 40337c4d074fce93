import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestartsData } from '../../shared/domain/process';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { corpusDir } from '../testing/corpus';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { createBackend, type Backend } from './registry/create-handlers';

const corpus = corpusDir();
const HTTPD = corpus === null ? '' : join(corpus, 'honeynet-redhat71-httpd', 'httpd');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Lifecycle notices read straight from the raw error-log text (independently of the parser), in UTC (-0400). */
function rawNotices(): Array<{ ts: number; text: string; opens: boolean }> {
  const out: Array<{ ts: number; text: string; opens: boolean }> = [];
  for (const f of readdirSync(HTTPD).filter((n) => n.startsWith('error_log'))) {
    for (const line of readFileSync(join(HTTPD, f), 'latin1').split('\n')) {
      const opens = /\] (?:caught SIG(?:TERM|WINCH)|SIGHUP received|SIGUSR1 received|Graceful restart requested)/u.test(line);
      if (!opens && !line.includes('resuming normal operations')) {
        continue;
      }
      const m = /^\[\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})\]/u.exec(line);
      if (m === null) {
        continue;
      }
      const [, mon, d, hh, mm, ss, yy] = m;
      const ts = Date.UTC(Number(yy), MON.indexOf(mon ?? ''), Number(d), Number(hh) + 4, Number(mm), Number(ss));
      out.push({ ts, text: line, opens });
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

describe.skipIf(corpus === null)('restarts in the 2004 honeynet Apache 1.3 logs (no UNIQUE_ID)', () => {
  let tmp: TempDir;
  let backend: Backend;
  beforeAll(async () => {
    tmp = makeTempDir();
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    backend.session.create({ path: tmp.file('h.dossier'), name: 'H', number: '', examiner: '', description: '', timeZone: 'America/New_York', classification: '' });
    const summary = await backend.ingest.runAndWait(HTTPD, 'America/New_York', {});
    expect(summary.status).toBe('complete');
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('reports every restart visible in the error logs, from the notices alone', async () => {
    const notices = rawNotices();
    const data = (await backend.handlers['process.restarts']({})) as RestartsData;
    expect(data.hasUniqueIds).toBe(false);
    const full = data.estimates.filter((e) => e.kind === 'full');
    // Every notice lies within a reported restart, and each shutdown/restart notice opens its own.
    for (const n of notices) {
      expect(full.some((e) => e.start <= n.ts && n.ts <= e.end), n.text).toBe(true);
    }
    const openers = notices.filter((n) => n.opens);
    const covering = new Set(openers.map((n) => full.find((e) => e.start <= n.ts && n.ts <= e.end)?.id));
    expect(covering.size).toBe(openers.length);
    // A start with no shutdown notice before it (boot, or the shutdown lost to rotation) is a restart too.
    const lonelyStarts = notices.filter((n, i) => !n.opens && !(notices[i - 1]?.opens === true && n.ts - (notices[i - 1]?.ts ?? 0) <= 600_000));
    expect(full).toHaveLength(openers.length + lonelyStarts.length);
    expect(full.every((e) => e.source === 'error_log' && e.evidence.length > 0)).toBe(true);
    console.log(`[conformance:restarts] honeynet-redhat71-httpd: ${notices.length} notices, ${full.length} restarts reported`);
  });
});
