/**
 * Findings against the public corpus (skipped when ../shared/corpus is absent):
 * - fail2ban's apache-* (and php-url-fopen) sample logs: lines annotated `"match": true` must be
 *   flagged by some web rule at least 90% of the time (misses are recorded and printed);
 * - the 2004 RedHat honeynet access logs, ingested through the real engine: every Code Red / Nimda
 *   style probe (root.exe, cmd.exe, default.ida) is part of a web.iis_worm finding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webInputOfLine } from '../core/detectors/web-input';
import { errorCandidate, matchWeb, uaCandidate, urlCandidate } from '../core/detectors/web-rules';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { listFindings } from '../db/queries/findings';
import { makeTempDir } from '../db/testing/test-db';
import { corpusDir, recordConformance, type ConformanceMiss } from '../testing/corpus';
import { runIngest } from '../workers/ingest/ingest-engine';
import { ensureTimelineIndexes } from '../workers/ingest/post-ingest';
import { loadWebRules, runDetectors } from './findings-service';

const corpus = corpusDir();
const set = loadWebRules(join(__dirname, '..', '..', 'resources', 'rules', 'web.yaml'));

function flagged(line: string): string[] {
  const input = webInputOfLine(line);
  const candidate =
    (input.url !== null && urlCandidate(set, input.url.toLowerCase())) ||
    (input.ua !== null && uaCandidate(set, input.ua.toLowerCase())) ||
    (input.message !== null && errorCandidate(set, input.message.toLowerCase()));
  return candidate ? matchWeb(set, input).map((h) => h.rule.id) : [];
}

describe.skipIf(corpus === null)('findings conformance', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it('flags fail2ban apache-* lines annotated "match": true at least 90% of the time', () => {
    const dir = join(corpus ?? '', 'fail2ban', 'logs');
    const files = readdirSync(dir).filter((f) => f.startsWith('apache-') || f === 'php-url-fopen');
    let expected = 0;
    let hit = 0;
    let falsePos = 0;
    let negatives = 0;
    const results = files.map((file) => {
      const lines = readFileSync(join(dir, file), 'latin1').split('\n');
      const misses: ConformanceMiss[] = [];
      let pending: { match?: boolean } | null = null;
      let n = 0;
      let matched = 0;
      lines.forEach((line, i) => {
        if (line.startsWith('# failJSON:')) {
          pending = JSON.parse(line.slice(11)) as { match?: boolean };
          return;
        }
        if (line.startsWith('#') || line.trim() === '' || pending === null) {
          return;
        }
        const want = (pending as { match?: boolean }).match === true;
        pending = null;
        const rules = flagged(line);
        if (want) {
          n += 1;
          if (rules.length > 0) {
            matched += 1;
          } else {
            misses.push({ line: i + 1, expected: 'flagged', actual: 'no rule', why: line.slice(0, 160) });
          }
        } else {
          negatives += 1;
          if (rules.length > 0) {
            falsePos += 1;
          }
        }
      });
      expected += n;
      hit += matched;
      return { file: `fail2ban/logs/${file}`, lines: n, matched, mismatched: n - matched, misses };
    });
    recordConformance('findings-fail2ban', results);
    console.log(`[conformance:findings-fail2ban] ${hit}/${expected} "match": true lines flagged (${((100 * hit) / expected).toFixed(1)}%); ${falsePos}/${negatives} "match": false lines flagged`);
    expect(expected).toBeGreaterThan(90);
    expect(hit / expected).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the Code Red / Nimda probes in the 2004 honeynet access logs', async () => {
    const root = join(corpus ?? '', 'honeynet-redhat71-httpd');
    const open = createCaseFile({ path: tmp.file('h.dossier'), name: 'honeynet', number: '', examiner: '', description: '', timeZone: 'America/New_York', classification: '', actor: 't', appVersion: 'test' });
    try {
      await runIngest(open.db, { root, timeZone: 'America/New_York' });
      ensureTimelineIndexes(open.db);
      runDetectors(open.db, {}, set);
      const worm = listFindings(open.db).filter((f) => f.rule === 'web.iis_worm');
      const flaggedIds = new Set(
        worm.flatMap((f) => open.db.prepare('SELECT event_id FROM finding_events WHERE finding_id = ?').pluck().all(f.id) as number[]),
      );
      // Independent count: every access line naming a Code Red / Nimda target.
      const probes = open.db
        .prepare(
          "SELECT e.id FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE v.source_kind = 'apache_access' AND (e.message LIKE '%root.exe%' OR e.message LIKE '%cmd.exe%' OR e.message LIKE '%default.ida%')",
        )
        .pluck()
        .all() as number[];
      const missed = probes.filter((id) => !flaggedIds.has(id));
      const ips = new Set(worm.flatMap((f) => f.srcIps));
      console.log(`[conformance:findings-honeynet] ${probes.length} Code Red/Nimda probe lines, ${missed.length} missed; ${worm.length} web.iis_worm findings from ${ips.size} addresses`);
      expect(probes.length).toBeGreaterThan(100);
      expect(missed).toEqual([]);
      expect(worm.length).toBeGreaterThan(0);
      // On this Apache server the probes were refused (404): tried, not succeeded.
      expect(worm.every((f) => f.severity !== 'critical')).toBe(true);
    } finally {
      closeCaseFile(open);
    }
  });
});
