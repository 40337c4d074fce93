import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { REPO_ROOT } from '../fixtures/paths';
import { EvidencePage } from '../pages/evidence-page';
import { StartPage } from '../pages/start-page';
import { TimelinePage } from '../pages/timeline-page';

/**
 * No network (issue 10.2), browser mode: a full run (create a case, ingest the sample folder through
 * the UI, every workspace section of this build, an event's detail and context, a comment with a
 * remote image and links, an export, then the bundled sample case and every section again) while
 * two recorders watch: page.on('request') (the fixture) and a context-wide route on every URL.
 * Every request must go to the loopback server's own origin; no WebSocket, no other host.
 */
test.describe('no network', () => {
  test.skip(({ appMode }) => appMode !== 'web', 'browser mode: the Electron session block is unit-tested (guards.test.ts, security-checklist.test.ts)');

  test('a full run requests nothing outside the loopback origin', async ({ app }) => {
    test.setTimeout(240_000);
    const { page } = app;
    const origin = app.origin ?? '';
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    const routed: string[] = [];
    const sockets: string[] = [];
    await page.context().route('**/*', async (route) => {
      routed.push(route.request().url());
      await route.continue();
    });
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.reload();

    const start = new StartPage(page);
    const evidence = new EvidencePage(page);
    const timeline = new TimelinePage(page);
    await start.expectVisible();
    await start.createCase({ name: 'Network check', path: join(app.caseDir, 'network.dossier'), timeZone: 'Europe/Berlin' });
    await evidence.expectCase('Network check');
    await evidence.open();
    await evidence.scanFolder(join(REPO_ROOT, 'resources', 'sample-case'));
    await evidence.startIngest();
    await expect(evidence.summary).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });

    const firstPass = await evidence.visitEverySection(async (label) => {
      if (label === 'Timeline') {
        await timeline.expectShown();
        await timeline.openDetail(timeline.rows().first());
        const contextButton = timeline.detail.getByRole('button', { name: 'Show in context' });
        if ((await contextButton.count()) > 0) {
          await contextButton.click();
          await expect(timeline.detail.getByTestId('event-context').getByTestId('context-line').first()).toBeVisible();
        }
        // Markdown with a remote image and links: rendered without fetching anything
        await timeline.addComment('see ![tracker](https://tracker.example/pixel.png) and [the advisory](https://example.com/a) <img src="https://example.org/x.png">');
        const exportPath = join(app.caseDir, 'exports', 'all.csv');
        mkdirSync(join(app.caseDir, 'exports'), { recursive: true });
        await page.getByTestId('export-button').click();
        const exportForm = page.getByRole('form', { name: 'Export' });
        await exportForm.getByLabel('Export file').fill(exportPath);
        await exportForm.getByRole('button', { name: 'Export' }).click();
        await expect(page.locator('.bp6-toast').filter({ hasText: 'Exported' })).toContainText(exportPath);
      }
    });
    expect(firstPass.length).toBeGreaterThanOrEqual(4);
    expect(firstPass).toEqual(expect.arrayContaining(['Overview', 'Evidence', 'Timeline', 'Audit log']));

    // the bundled sample case, every section again
    await evidence.closeCase();
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    await expect(evidence.root).toBeVisible();
    await evidence.waitUntilReady();
    const secondPass = await evidence.visitEverySection();
    expect(secondPass).toEqual(firstPass);
    await evidence.waitUntilSettled();

    const foreign = (urls: ReadonlyArray<string>): string[] => urls.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(routed.length).toBeGreaterThan(20);
    expect(foreign(routed)).toEqual([]);
    expect(foreign(app.requests)).toEqual([]);
    expect(sockets).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
    console.info(`[no-network e2e] ${firstPass.length} sections x 2 cases; ${routed.length} routed requests, ${app.requests.length} page requests, all to ${origin}; 0 WebSockets`);
  });
});
