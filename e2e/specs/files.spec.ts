import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { SCREENSHOT_DIR } from '../fixtures/paths';
import { EvidencePage } from '../pages/evidence-page';
import { FilesPage } from '../pages/files-page';
import { StartPage } from '../pages/start-page';
import { TimelinePage } from '../pages/timeline-page';

const OLD = 'a'.repeat(32);
const NEW = 'b'.repeat(32);

/** Two md5sum listings of one web root, taken from different places; index.php changed between them. */
function writeManifestFolder(root: string): string {
  const put = (rel: string, text: string, mtime: Date): void => {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    utimesSync(file, mtime, mtime);
  };
  put('baseline/md5sums.txt', [`${OLD}  ./index.php`, `${'c'.repeat(32)}  ./cart.php`, `${'d'.repeat(32)}  ./<script>alert(1)</script>.php`, ''].join('\n'), new Date(Date.UTC(2024, 2, 1)));
  put('after/md5sums.txt', [`${NEW}  /var/www/html/index.php`, `${'c'.repeat(32)}  /var/www/html/cart.php`, `${'d'.repeat(32)}  /var/www/html/<script>alert(1)</script>.php`, ''].join('\n'), new Date(Date.UTC(2024, 2, 16)));
  return root;
}

test.describe('files and processes', () => {
  test.beforeEach(({ app }) => {
    test.skip(app.mode !== 'web', 'the folder is typed in browser mode');
  });

  test('two manifests ingested: the panel shows the modified index.php; its manifest lines open in the timeline', async ({ app }) => {
    const { page } = app;
    const start = new StartPage(page);
    const evidence = new EvidencePage(page);
    const files = new FilesPage(page);
    const timeline = new TimelinePage(page);
    const folder = writeManifestFolder(join(app.caseDir, 'manifests'));
    await start.expectVisible();
    await start.createCase({ name: 'Manifests', path: join(app.caseDir, 'manifests.dossier') });
    await evidence.expectCase('Manifests');
    await evidence.open();
    await evidence.scanFolder(folder);
    await expect(evidence.scanRow('baseline/md5sums.txt').getByTestId('scan-format')).toHaveText(/Hash manifest/u);
    await evidence.startIngest();
    await expect(evidence.summary).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });

    await files.open();
    const row = files.change('changed', 'index.php');
    await expect(row).toBeVisible();
    await expect(files.changes.getByTestId('files-count-changed')).toHaveText('1 changed');
    await expect(files.changes.getByTestId('files-count-appeared')).toHaveText('0 appeared');
    await expect(files.changes.getByTestId('files-manifest-times')).toContainText('baseline/md5sums.txt');
    // hostile names are text, never markup
    await expect(files.panel.locator('script')).toHaveCount(0);

    await row.getByTestId('file-change-open').click();
    await expect(timeline.panel).toBeVisible();
    await expect(timeline.rows()).toHaveCount(2);
    const messages = await timeline.columnTexts('message');
    // (innerText shows the two spaces of md5sum's separator as one)
    expect(messages.map((m) => m.replace(/\s+/gu, ' ')).sort()).toEqual([`${NEW} /var/www/html/index.php`, `${OLD} ./index.php`].sort());
    expect(app.consoleErrors).toEqual([]);
  });

  test('the sample case: modified index.php, file activity around the restart, PID 4001 linked to the error log; screenshot', async ({ app }) => {
    const { page } = app;
    const start = new StartPage(page);
    const files = new FilesPage(page);
    const timeline = new TimelinePage(page);
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    await timeline.expectCase('Sample case');
    await files.open();
    await expect(files.change('changed', 'index.php')).toBeVisible();
    await expect(files.change('appeared', 'images/.cache/sh.php')).toBeVisible();
    await expect(files.change('disappeared', 'catalog/bags.html')).toBeVisible();
    await expect(files.activity.locator('[data-testid="activity-row"][data-name="/var/www/shop/index.php"]').first()).toBeVisible();
    await expect(files.activity.getByTestId('files-activity-chart')).toBeVisible();
    const pid = files.straceRow(4001);
    await expect(pid).toContainText('killed by SIGSEGV');
    await expect(pid.getByTestId('strace-error-log')).toContainText('child pid 4001 exit signal Segmentation fault (11)');
    await page.setViewportSize({ width: 1400, height: 1500 });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'files.png'), fullPage: true });

    await pid.getByTestId('strace-open').click();
    await expect(timeline.panel).toBeVisible();
    await expect(timeline.rows()).toHaveCount(16);
    expect(new Set(await timeline.columnTexts('source'))).toEqual(new Set(['strace']));
    expect(app.consoleErrors).toEqual([]);
  });
});
