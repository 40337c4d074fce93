import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { REPO_ROOT, SCREENSHOT_DIR } from '../fixtures/paths';
import { EvidencePage } from '../pages/evidence-page';
import { StartPage } from '../pages/start-page';
import { TimelinePage } from '../pages/timeline-page';

const SAMPLE = join(REPO_ROOT, 'resources', 'sample-case');

test.describe('host state', () => {
  test.beforeEach(({ app }) => {
    test.skip(app.mode !== 'web', 'the host-state e2e runs in browser mode (path fields)');
  });

  test('a server-status dump and a netstat capture: state mix, slow-read workers, per-/24 tally, and click through to the events', async ({ app }) => {
    const { page } = app;
    const folder = join(app.caseDir, 'captures');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(SAMPLE, 'live_response/apache/server-status.html'), join(folder, 'server-status.html'));
    copyFileSync(join(SAMPLE, 'live_response/network/netstat-an.txt'), join(folder, 'netstat-an.txt'));
    copyFileSync(join(SAMPLE, 'live_response/process/ps-ef.txt'), join(folder, 'ps-ef.txt'));

    const start = new StartPage(page);
    const evidence = new EvidencePage(page);
    await start.expectVisible();
    await start.createCase({ name: 'Host state', path: join(app.caseDir, 'host.dossier'), timeZone: 'Europe/Berlin' });
    await evidence.expectCase('Host state');
    await evidence.open();
    await evidence.scanFolder(folder);
    await evidence.startIngest();
    await expect(evidence.summary).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });

    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('button', { name: 'Host state' }).click();
    const panel = page.getByTestId('hoststate-panel');
    const status = panel.getByTestId('server-status-tab');
    await expect(status).toBeVisible();
    await expect(status.getByTestId('busy-idle')).toContainText('67 / 3');
    await expect(status.getByTestId('scoreboard-chart').locator('canvas')).toBeVisible();
    await expect(status.getByTestId('mode-W')).toContainText('Sending reply: 57');
    // slow-read workers above the default threshold (60 s: no Timeout in the case)
    await expect(status.getByTestId('slow-threshold')).toHaveValue('60');
    const slowRows = status.getByTestId('slow-row');
    await expect(slowRows).toHaveCount(60);
    await expect(slowRows.first()).toContainText('198.51.100.');
    // the attacker's /24 holds more workers than the threshold; so does the attacker itself
    const net = status.getByTestId('tally-net').getByTestId('tally-row').first();
    await expect(net).toContainText('198.51.100.0/24');
    await expect(net).toContainText('above 20');
    await expect(status.getByTestId('tally-ip').getByTestId('tally-row').first()).toContainText('198.51.100.23');
    // a higher threshold leaves fewer slow workers
    await status.getByTestId('slow-threshold').fill('1000');
    await status.getByTestId('slow-threshold').press('Enter');
    await expect.poll(() => slowRows.count()).toBeLessThan(60);
    await status.getByTestId('slow-threshold').fill('60');
    await status.getByTestId('slow-threshold').press('Enter');
    await expect(slowRows).toHaveCount(60);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'host-state.png'), fullPage: false });

    // click a /24 through to its worker events on the timeline
    await net.click();
    const timeline = new TimelinePage(page);
    await timeline.expectShown();
    await expect.poll(() => timeline.histogramTotal()).toBe(60);
    await expect(timeline.rows().first()).toContainText('198.51.100.');

    // network: SYN_RECV flagged, the state mix drawn, a click opens the half-open connections
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('button', { name: 'Host state' }).click();
    await panel.getByRole('tab', { name: 'Network' }).click();
    const network = panel.getByTestId('network-tab');
    await expect(network.getByTestId('syn-recv')).toContainText('40');
    await expect(network.getByTestId('tcp-chart').locator('canvas')).toBeVisible();
    const remote = network.getByTestId('tally-remote').getByTestId('tally-row').first();
    await expect(remote).toContainText('198.51.100.23');
    await expect(remote).toContainText('above 20');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'host-state-network.png'), fullPage: false });
    await remote.click();
    await timeline.expectShown();
    await expect.poll(() => timeline.histogramTotal()).toBe(40);

    // processes: the miner running from /tmp is flagged; its row opens its event
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('button', { name: 'Host state' }).click();
    await panel.getByRole('tab', { name: 'Processes' }).click();
    const processes = panel.getByTestId('processes-tab');
    await expect(processes.getByTestId('flagged-processes')).toContainText('1');
    await processes.getByRole('checkbox', { name: 'Flagged only' }).check({ force: true });
    const flagged = processes.getByTestId('process-row');
    await expect(flagged).toHaveCount(1);
    await expect(flagged.first()).toContainText('/tmp/.x/kworkerd');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'host-state-processes.png'), fullPage: false });
    await flagged.first().click();
    await timeline.expectShown();
    await expect.poll(() => timeline.histogramTotal()).toBe(1);
    expect(app.consoleErrors).toEqual([]);
  });
});
