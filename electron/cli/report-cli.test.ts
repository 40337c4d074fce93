/** `dossier report` and `dossier verify` on the sample case, through the CLI entry point. */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCaseReadOnly } from '../db/case-file';
import { listAudit, verifyAudit } from '../db/queries/audit';
import { listEvidence } from '../db/queries/evidence';
import { listFindings } from '../db/queries/findings';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { runCli } from './cli';

const SAMPLE = resolve(__dirname, '../../resources/sample-case');

describe('dossier report / verify', () => {
  let tmp: TempDir;
  let casePath: string;
  let evidence: string;
  beforeAll(async () => {
    tmp = makeTempDir();
    process.env['DOSSIER_USER_DATA'] = tmp.file('userdata');
    evidence = tmp.file('evidence');
    cpSync(SAMPLE, evidence, { recursive: true });
    casePath = tmp.file('sample.dossier');
    expect(await runCli(['new', casePath, '--name', 'CLI sample case', '--classification', 'TLP:GREEN', '--tz', 'Europe/Berlin'])).toBe(0);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await runCli(['ingest', evidence, '--case', casePath, '--quiet'])).toBe(0);
  }, 120_000);
  afterAll(() => {
    vi.restoreAllMocks();
    tmp.cleanup();
  });

  it('writes a PDF that names the case, every evidence hash and the audit head, and audits it', async () => {
    const out = tmp.file('report.pdf');
    const html = tmp.file('report.html');
    expect(await runCli(['report', casePath, '--pdf', out, '--html', html, '--paper', 'letter'])).toBe(0);
    expect(existsSync(html)).toBe(true);
    const opened = openCaseReadOnly(casePath);
    const items = listEvidence(opened.db);
    const entries = listAudit(opened.db, 10).entries;
    opened.close();
    const pdfEntry = entries.find((e) => e.action === 'report.generate' && e.target === out);
    expect(pdfEntry).toBeDefined();
    const shown = (JSON.parse(pdfEntry?.details ?? '{}') as { auditHeadHash: string }).auditHeadHash;
    expect(shown).toMatch(/^[0-9a-f]{64}$/u);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/gu, ' ')).toContain('CLI sample case');
    expect(text).toContain(shown);
    expect(items.length).toBeGreaterThan(3);
    for (const e of items) {
      expect(text).toContain(e.sha256 ?? e.contentSha256 ?? 'no hash');
    }
    expect(await runCli(['report', casePath, '--pdf', out])).not.toBe(0);
    expect(await runCli(['report', casePath, '--html', tmp.file('x.html'), '--sections', 'cover,nonsense'])).not.toBe(0);
    expect(await runCli(['report', casePath, '--html', tmp.file('y.html'), '--findings', 'some'])).not.toBe(0);
    expect(await runCli(['report', casePath, '--html', tmp.file('z.html'), '--summary-note', 'x'])).not.toBe(0);
    // Confirmed findings by default (none reviewed yet), every one on request.
    const found = openCaseReadOnly(casePath);
    const findings = listFindings(found.db).length;
    found.close();
    expect(findings).toBeGreaterThan(0);
    const byDefault = tmp.file('confirmed.html');
    const all = tmp.file('all.html');
    expect(await runCli(['report', casePath, '--html', byDefault, '--sections', 'findings'])).toBe(0);
    expect(await runCli(['report', casePath, '--html', all, '--sections', 'findings', '--findings', 'all'])).toBe(0);
    expect(readFileSync(byDefault, 'utf8')).toContain('No confirmed findings.');
    expect(readFileSync(all, 'utf8').split('<tbody class="unit">').length - 1).toBe(findings);
  }, 120_000);

  it('verify exits 0 on a sound case and evidence, non-zero on a changed evidence file or a damaged case', async () => {
    process.exitCode = undefined;
    expect(await runCli(['verify', casePath, '--evidence', evidence, '--json'])).toBe(0);
    const opened = openCaseReadOnly(casePath);
    const first = listEvidence(opened.db).find((e) => e.sha256 !== null);
    expect(verifyAudit(opened.db).ok).toBe(true);
    opened.close();
    appendFileSync(`${evidence}/${first?.path ?? ''}`, 'x');
    expect(await runCli(['verify', casePath, '--evidence', evidence])).toBe(4);
    process.exitCode = undefined;
    const bad = tmp.file('not-a-case.dossier');
    execFileSync('sh', ['-c', `head -c 8192 /dev/urandom > '${bad}'`]);
    expect(await runCli(['verify', bad])).toBe(4);
    process.exitCode = undefined;
  }, 60_000);
});
