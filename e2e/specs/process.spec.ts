import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { SCREENSHOT_DIR } from '../fixtures/paths';
import { StartPage } from '../pages/start-page';
import { TimelinePage } from '../pages/timeline-page';

const CASE_NAME = 'Sample case: defaced web shop';

test.describe('Apache workers', () => {
  test.beforeEach(({ app }) => {
    test.skip(app.mode !== 'web', 'the Apache workers e2e runs in browser mode');
  });

  test('open the panel on the sample case, brush a restart on the chart, follow it to its events and to its auth.log command', async ({ app }) => {
    const { page } = app;
    const start = new StartPage(page);
    const timeline = new TimelinePage(page);
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    await timeline.expectCase(CASE_NAME);
    await timeline.expectShown();

    await timeline.nav.getByRole('button', { name: 'Apache workers' }).click();
    const panel = page.getByTestId('process-panel');
    await expect(panel).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('process-summary')).toContainText('requests with a UNIQUE_ID');
    const rows = panel.getByTestId('restart-row');
    const allRows = await rows.count();
    expect(allRows).toBeGreaterThanOrEqual(3);
    await expect(panel.getByTestId('restart-auth').filter({ hasText: '/etc/init.d/apache2 restart' }).first()).toBeVisible();
    await expect(page.getByTestId('clock-offset')).toBeVisible();
    await expect(page.getByTestId('workers-scatter')).toBeVisible();

    await page.setViewportSize({ width: 1440, height: 1200 });
    await page.waitForTimeout(300); // the charts follow the new size on the next frame
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'apache-workers.png'), fullPage: false });
    expect(existsSync(join(SCREENSHOT_DIR, 'apache-workers.png'))).toBe(true);

    // brush the middle of the restarts chart: the table narrows to the restart matched to "apache2 restart"
    const chart = page.getByTestId('restarts-chart');
    const box = await chart.boundingBox();
    if (box === null) {
      throw new Error('the restarts chart is not drawn');
    }
    const left = box.x + 120; // grid left margin
    const width = box.width - 120 - 16;
    const y = box.y + box.height * 0.4;
    await page.mouse.move(left + width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(left + width * 0.4, y, { steps: 5 });
    await page.mouse.move(left + width * 0.5, y, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId('process-range')).toBeVisible();
    await expect.poll(() => rows.count()).toBeLessThan(allRows);
    const restart = rows.filter({ has: page.getByTestId('restart-command') }).first();
    await expect(restart.getByTestId('restart-auth')).toContainText('admin');
    await expect(restart.getByTestId('restart-auth')).toContainText('/etc/init.d/apache2 restart');
    const restartId = (await restart.getAttribute('data-restart-id')) ?? '';

    // follow it to its events: the timeline opens on the restart's time range, with the error-log notice in it
    await restart.getByTestId('restart-events').click();
    await timeline.expectShown();
    await expect(timeline.chip('time')).toBeVisible();
    await expect(timeline.rows().filter({ hasText: 'SIGHUP received' }).first()).toBeVisible();

    // back, and follow it to the auth.log command
    await timeline.nav.getByRole('button', { name: 'Apache workers' }).click();
    await expect(panel).toBeVisible();
    await panel.getByTestId('restart-row').filter({ has: page.getByTestId('restart-command') }).filter({ hasText: '/etc/init.d/apache2 restart' }).first().getByTestId('restart-command').click();
    await timeline.expectShown();
    await expect(timeline.rows().filter({ hasText: 'COMMAND=/etc/init.d/apache2 restart' }).first()).toBeVisible();

    // and send the restart to a new hypothesis as supporting evidence
    await timeline.nav.getByRole('button', { name: 'Apache workers' }).click();
    const row = panel.locator(`[data-restart-id="${restartId}"]`);
    await row.getByTestId('add-to-hypothesis-button').click();
    const dialog = page.getByTestId('add-to-hypothesis');
    await dialog.getByTestId('add-h-select').selectOption({ label: 'New hypothesis…' });
    await dialog.locator('#add-h-statement').fill('The admin restarted Apache by hand');
    await dialog.getByTestId('add-h-submit').click();
    await expect(dialog).toBeHidden();
    await timeline.nav.getByRole('button', { name: 'Hypotheses', exact: true }).click();
    await page.getByTestId('hypothesis-item').getByRole('button', { name: /The admin restarted Apache by hand/u }).click();
    await expect(page.locator(`[data-testid="evidence-link"][data-target="restart/${restartId}"]`)).toBeVisible();
  });
});
