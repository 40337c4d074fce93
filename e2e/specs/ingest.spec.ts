import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessLine, writeAccessLogFolder } from '../fixtures/access-log';
import { expect, test } from '../fixtures/dossier-test';
import { REPO_ROOT, SCREENSHOT_DIR } from '../fixtures/paths';
import { EvidencePage } from '../pages/evidence-page';
import { StartPage } from '../pages/start-page';
import { pickTimeZone } from '../pages/time-zone-picker';

const SAMPLE_FOLDER = join(REPO_ROOT, 'resources', 'sample-case');
/** Files of the sample folder (it grows as analysis areas add evidence to the story). */
const SAMPLE_FILES = readdirSync(SAMPLE_FOLDER, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;

const SAMPLE_FORMATS: ReadonlyArray<readonly [string, RegExp]> = [
  ['var/log/apache2/access.log', /Apache access log/u],
  ['var/log/apache2/access.log.1', /Apache access log/u],
  ['var/log/apache2/access.log.2.gz', /Apache access log/u],
  ['var/log/apache2/error.log', /Apache error log/u],
  ['var/log/auth.log', /auth/u],
  ['var/log/fail2ban.log', /fail2ban/u],
  ['hashes/baseline/md5sums.txt', /Hash manifest/u],
  ['bodyfile/bodyfile.txt', /bodyfile/u],
  ['strace/4001.log', /strace/u],
];

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

test.describe('ingest', () => {
  test.skip(({ appMode }) => appMode === 'electron', 'The folder is typed in browser mode; Electron uses the native folder dialog');

  test('add the sample folder: preview with detected formats, progress, summary, then every file with its hash and counts', async ({ app }) => {
    const start = new StartPage(app.page);
    const evidence = new EvidencePage(app.page);
    await start.expectVisible();
    await start.createCase({ name: 'Web shop triage', path: join(app.caseDir, 'triage.dossier') });
    await evidence.expectCase('Web shop triage');
    await evidence.open();
    await expect(evidence.panel.getByText('No evidence yet')).toBeVisible();

    await evidence.scanFolder(SAMPLE_FOLDER);
    for (const [path, format] of SAMPLE_FORMATS) {
      await expect(evidence.scanRow(path).getByTestId('scan-format')).toHaveText(format);
    }
    await expect(evidence.scanRow('var/log/apache2/access.log.2.gz').getByTestId('scan-kind')).toHaveText('gzip');
    await expect(evidence.preview.getByTestId('scan-already')).toHaveCount(0);

    // per-file overrides: a custom Apache LogFormat needs its format string
    const psRow = evidence.scanRow('live_response/process/ps-ef.txt');
    await psRow.getByLabel('Format of live_response/process/ps-ef.txt', { exact: true }).selectOption('apache_access_custom');
    await evidence.addView.getByRole('button', { name: 'Start ingest' }).click();
    await expect(evidence.addView.getByRole('alert')).toContainText('A LogFormat is missing');
    await psRow.getByLabel('LogFormat of live_response/process/ps-ef.txt').fill('%h %l %u %t "%r" %>s %b');
    await pickTimeZone(app.page, evidence.scanRow('var/log/auth.log').getByRole('button', { name: 'UTC' }), 'Europe/Berlin');
    await evidence.waitUntilReady();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'ingest.png') });
    // back to "as detected" for this run (the zone override stays)
    await psRow.getByLabel('Format of live_response/process/ps-ef.txt', { exact: true }).selectOption('');
    await expect(psRow.getByLabel('LogFormat of live_response/process/ps-ef.txt')).toBeHidden();

    await evidence.startIngest();
    await expect(evidence.progress).toBeVisible();
    await expect(evidence.summary).toBeVisible({ timeout: 30_000 });
    await expect(evidence.summary).toHaveAttribute('data-status', 'complete');
    await expect(evidence.summary).toContainText('Ingest complete');
    await expect(evidence.summary.getByTestId('ingest-summary-text')).toContainText(`from ${SAMPLE_FILES} files`);
    await expect(evidence.progress).toBeHidden();

    // the list refreshed by itself: every file, hashed, with lines = events + raw-only
    await expect(evidence.rows()).toHaveCount(SAMPLE_FILES);
    for (const row of await evidence.rows().all()) {
      await expect(evidence.cell(row, 'sha256').getByTestId('evidence-sha256-short')).toHaveText(/^[0-9a-f]{12}…$/u);
      const [lines, events, rawOnly] = [await evidence.count(row, 'lines'), await evidence.count(row, 'events'), await evidence.count(row, 'rawOnly')];
      expect(lines).toBeGreaterThan(0);
      if ((await row.getAttribute('data-format')) === 'bodyfile') {
        expect(events + rawOnly).toBeGreaterThanOrEqual(lines); // one event per MACB time of an entry
      } else {
        expect(events + rawOnly).toBe(lines);
      }
    }
    await expect(evidence.row('var/log/apache2/access.log')).toHaveAttribute('data-format', 'apache_access');
    await expect(evidence.row('var/log/apache2/access.log')).toHaveAttribute('data-status', 'complete');
    await expect(evidence.row('var/log/apache2/error.log')).toHaveAttribute('data-format', 'apache_error');

    const expected = sha256(join(SAMPLE_FOLDER, 'var', 'log', 'apache2', 'access.log'));
    await expect(evidence.cell(evidence.row('var/log/apache2/access.log'), 'sha256')).toContainText(expected.slice(0, 12));
    await evidence.openDetail('var/log/apache2/access.log');
    await expect(evidence.detail.getByTestId('detail-sha256')).toHaveText(expected);
    await evidence.closeDetail();
    await expect(evidence.cell(evidence.row('var/log/auth.log'), 'timeZone')).toHaveText('Europe/Berlin');
    await expect(evidence.cell(evidence.row('var/log/fail2ban.log'), 'timeZone')).toHaveText('UTC');

    // the overview counts follow, and link to the list
    await evidence.goTo('Overview');
    await expect(evidence.overview.getByTestId('count-evidence')).toContainText(String(SAMPLE_FILES));
    await evidence.overview.getByRole('button', { name: 'Open evidence' }).click();
    await expect(evidence.table).toBeVisible();

    // adding the same folder again: every file is already in the case
    await evidence.scanFolder(SAMPLE_FOLDER);
    await expect(evidence.preview.getByTestId('scan-already')).toHaveCount(SAMPLE_FILES);
    expect(app.consoleErrors).toEqual([]);
  });

  test('cancel a long ingest: the progress view survives a reload, and the partial evidence is kept and marked', async ({ app }) => {
    test.setTimeout(180_000);
    const files = 4;
    const linesPerFile = 400_000;
    const folder = await writeAccessLogFolder(join(app.caseDir, 'big'), files, linesPerFile);
    const start = new StartPage(app.page);
    const evidence = new EvidencePage(app.page);
    await start.expectVisible();
    await start.createCase({ name: 'Large access logs', path: join(app.caseDir, 'large.dossier') });
    await evidence.expectCase('Large access logs');
    await evidence.open();
    await evidence.scanFolder(folder);
    await expect(evidence.preview.getByTestId('scan-row')).toHaveCount(files);
    await evidence.startIngest();

    await expect(evidence.progress).toBeVisible();
    await expect.poll(() => evidence.progressLines(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect(evidence.progress.getByTestId('ingest-phase')).toHaveText('Reading');
    await expect(evidence.progress.getByTestId('ingest-current-file')).toContainText('access.log.');
    await expect(evidence.progress.getByTestId('ingest-files')).toContainText(`/ ${files}`);
    await expect(evidence.nav.getByTestId('ingest-nav-badge')).toBeVisible();

    // the progress view follows the run across sections and a reload
    await evidence.goTo('Overview');
    await expect(evidence.nav.getByTestId('ingest-nav-badge')).toBeVisible();
    await evidence.open();
    await expect(evidence.progress).toBeVisible();
    await app.page.reload();
    await expect(evidence.panel).toBeVisible();
    await expect(evidence.progress).toBeVisible();
    // Cancel inside a file, away from the ends of files: a cancel that lands between two files
    // interrupts none of them, and there would be no partial file to show (the reading takes 2 s a file).
    const midFile = async (): Promise<boolean> => {
      const lines = await evidence.progressLines();
      const inFile = lines % linesPerFile;
      return lines > 0 && lines < files * linesPerFile && inFile >= 40_000 && inFile <= linesPerFile - 160_000;
    };
    await expect.poll(midFile, { timeout: 60_000, intervals: [50] }).toBe(true);

    await evidence.progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(evidence.summary).toBeVisible({ timeout: 30_000 });
    await expect(evidence.summary).toHaveAttribute('data-status', 'cancelled');
    await expect(evidence.summary).toContainText('Ingest cancelled');
    await expect(evidence.summary.getByTestId('ingest-cancel-note')).toContainText('the interrupted file is marked cancelled');
    await expect(evidence.table.locator('[data-testid="evidence-row"][data-status="cancelled"], [data-testid="evidence-row"][data-status="partial"]')).not.toHaveCount(0);

    // the case still opens, and lists what was kept
    await evidence.closeCase();
    await start.expectVisible();
    await start.openRecent('Large access logs');
    await evidence.expectCase('Large access logs');
    await evidence.open();
    await expect(evidence.panel.getByTestId('full-text-incomplete')).toContainText('Full-text index');
    const partial = evidence.table.locator('[data-testid="evidence-row"][data-status="cancelled"], [data-testid="evidence-row"][data-status="partial"]');
    await expect(partial).not.toHaveCount(0);
    const first = partial.first();
    expect(await evidence.count(first, 'lines')).toBeGreaterThan(0);
    const path = await first.getAttribute('data-path');
    await evidence.openDetail(path ?? '');
    await expect(evidence.detail.getByTestId('evidence-incomplete')).toContainText('cancelled');
    expect(app.consoleErrors).toEqual([]);
  });

  test('re-time one evidence: a one-minute clock offset moves its first and last time by one minute', async ({ app }) => {
    const folder = join(app.caseDir, 'web01');
    mkdirSync(folder);
    const startMs = Date.UTC(2026, 10, 21, 0, 0, 0);
    writeFileSync(join(folder, 'access.log'), Array.from({ length: 100 }, (_, i) => accessLine(startMs, i)).join(''));
    // log-derived text is hostile: it must show as text, never as markup
    const hostile = '<img src=x onerror=alert(1)>.log';
    writeFileSync(join(folder, hostile), '<script>alert(1)</script>\n<b>bold</b>\n');
    const start = new StartPage(app.page);
    const evidence = new EvidencePage(app.page);
    await start.expectVisible();
    await start.createCase({ name: 'Clock skew', path: join(app.caseDir, 'skew.dossier'), timeZone: 'Europe/Zurich' });
    await evidence.expectCase('Clock skew');
    await evidence.open();
    await evidence.scanFolder(folder);
    await evidence.startIngest();
    await expect(evidence.summary).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });

    const row = evidence.row('access.log');
    await expect(evidence.cell(evidence.row(hostile), 'path')).toHaveText(hostile);
    await expect(evidence.panel.locator('img, script, b')).toHaveCount(0);
    // shown in the case's zone (UTC+1 in November), UTC on hover
    await expect(evidence.table.locator('thead')).toContainText('First (Europe/Zurich)');
    await expect(evidence.cell(row, 'first')).toHaveText('2026-11-21 01:00:00');
    await expect(evidence.cell(row, 'first').locator('span')).toHaveAttribute('title', '2026-11-21 00:00:00.000 UTC');
    await expect(evidence.cell(row, 'last')).toHaveText('2026-11-21 01:01:39');

    await evidence.openDetail('access.log');
    const form = app.page.getByRole('form', { name: 'Evidence timing' });
    const offset = form.getByLabel('Clock offset');
    await offset.fill('one minute');
    await expect(form).toContainText('Use ±HH:MM:SS[.mmm] or seconds');
    await expect(form.getByRole('button', { name: 'Apply' })).toBeDisabled();
    await offset.fill('+00:01:00');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(evidence.detail.getByTestId('detail-first')).toContainText('2026-11-21 01:01:00');
    // the Apply button disables itself while it saves, which can drop the focus to the page: Escape
    // still closes the drawer (after the toast the change raised)
    await app.page.evaluate('document.activeElement && document.activeElement.blur()');
    await evidence.closeDetail();

    await expect(evidence.cell(row, 'first')).toHaveText('2026-11-21 01:01:00');
    await expect(evidence.cell(row, 'last')).toHaveText('2026-11-21 01:02:39');
    await expect(evidence.cell(row, 'clockOffsetMs')).toHaveText('+00:01:00');

    await evidence.goTo('Audit log');
    await expect(evidence.auditRow('evidence.retime')).toHaveCount(1);
    await expect(evidence.auditRow('evidence.retime')).toContainText('"to":60000');
    expect(app.consoleErrors).toEqual([]);
  });

  test('a folder of 250 files: the list sorts, and only the rows in view are rendered', async ({ app }) => {
    test.setTimeout(120_000);
    const folder = join(app.caseDir, 'many');
    mkdirSync(folder);
    const startMs = Date.UTC(2026, 10, 21, 0, 0, 0);
    for (let f = 1; f <= 250; f++) {
      const lines = Array.from({ length: f }, (_, i) => accessLine(startMs + f * 3_600_000, i)).join('');
      writeFileSync(join(folder, `web-${String(f).padStart(3, '0')}.log`), lines);
    }
    const start = new StartPage(app.page);
    const evidence = new EvidencePage(app.page);
    await start.expectVisible();
    await start.createCase({ name: 'Many files', path: join(app.caseDir, 'many.dossier') });
    await evidence.expectCase('Many files');
    await evidence.open();
    await evidence.scanFolder(folder);
    await evidence.startIngest();
    await expect(evidence.summary).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
    await evidence.summary.getByRole('button', { name: 'Dismiss the ingest summary' }).click();

    const scroll = app.page.getByTestId('evidence-table-scroll');
    await expect(scroll).toHaveAttribute('data-virtualised', 'true');
    await expect(evidence.table).toHaveAttribute('aria-rowcount', '251');
    const rendered = await evidence.rows().count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(120);

    // counts sort largest first, then smallest first
    const linesHeader = evidence.table.getByRole('columnheader', { name: /^Lines/u });
    await linesHeader.getByRole('button').click();
    await expect(linesHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(evidence.rows().first()).toHaveAttribute('data-path', 'web-250.log');
    await linesHeader.getByRole('button').click();
    await expect(linesHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect(evidence.rows().first()).toHaveAttribute('data-path', 'web-001.log');

    // scrolled to the end, the last rows are rendered (and the first ones are not)
    await scroll.hover();
    await app.page.mouse.wheel(0, 20_000);
    await expect(evidence.row('web-250.log')).toBeVisible();
    await expect(evidence.row('web-001.log')).toHaveCount(0);
    expect(app.consoleErrors).toEqual([]);
  });

  test('"Open the sample case" opens a case with its evidence listed', async ({ app }) => {
    const start = new StartPage(app.page);
    const evidence = new EvidencePage(app.page);
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    await evidence.expectCase('Sample case');
    await evidence.open();
    await expect(evidence.rows()).toHaveCount(SAMPLE_FILES);
    await expect(evidence.row('var/log/apache2/access.log')).toHaveAttribute('data-status', 'complete');
    await expect(evidence.row('var/log/auth.log')).toHaveAttribute('data-format', 'auth');
    await expect(evidence.panel.getByTestId('evidence-zone')).toContainText('Times in Europe/Berlin');
    // the first open ingests the sample: its summary may be shown; dismiss it for the screenshot
    if (await evidence.summary.isVisible()) {
      await evidence.summary.getByRole('button', { name: 'Dismiss the ingest summary' }).click();
    }
    await evidence.waitUntilReady();
    // wide enough to show every column of the grid (it scrolls sideways in narrower windows)
    await app.page.setViewportSize({ width: 1920, height: 760 });
    await app.page.mouse.move(0, 0);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'evidence.png') });
    expect(app.consoleErrors).toEqual([]);
  });
});
