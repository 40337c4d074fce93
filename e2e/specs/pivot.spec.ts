import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { SCREENSHOT_DIR } from '../fixtures/paths';
import { PivotPage } from '../pages/pivot-page';
import { StartPage } from '../pages/start-page';
import { TimelinePage } from '../pages/timeline-page';

const CASE_NAME = 'Sample case: defaced web shop';
const ATTACKER = '203.0.113.45';

test.describe('pivot', () => {
  test.beforeEach(({ app }) => {
    test.skip(app.mode !== 'web', 'the pivot e2e runs in browser mode (URL hash navigation)');
  });

  test("from an event's detail, pivot on its IP: its auth.log and web activity on one page; then its auth session with the commands and web requests around it", async ({ app }) => {
    const { page } = app;
    await page.setViewportSize({ width: 1600, height: 1300 });
    const start = new StartPage(page);
    const timeline = new TimelinePage(page);
    const pivot = new PivotPage(page);
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    await timeline.expectCase(CASE_NAME);
    await timeline.expectShown();

    // the timeline: the successful logins, one of them after the brute force
    const view = { v: 1, filter: { kinds: ['ssh_accepted'] }, zone: 'case', groupBy: 'sourceKind' };
    await page.evaluate((hash) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = hash;
    }, `#/timeline?v=${Buffer.from(JSON.stringify(view)).toString('base64url')}`);
    await expect(timeline.rows()).toHaveCount(13);
    const row = timeline.rows().filter({ hasText: ATTACKER }).first();
    await expect(row).toBeVisible();
    await timeline.openDetail(row);

    // pivot on its IP from the detail
    await timeline.detail.getByTestId('pivot-ip').click();
    await pivot.expectShown();
    await expect(page).toHaveURL(/#\/pivot\?kind=ip&value=203\.0\.113\.45/u);
    await expect(pivot.title).toHaveText(ATTACKER);
    // its auth.log and its web activity, on one page
    await expect(pivot.sourceRow('auth')).toContainText('auth.log');
    await expect(pivot.sourceRow('apache_access')).toContainText('access.log');
    const authCount = Number((await pivot.sourceRow('auth').locator('td').nth(2).innerText()).replace(/,/gu, ''));
    const webCount = Number((await pivot.sourceRow('apache_access').locator('td').nth(2).innerText()).replace(/,/gu, ''));
    expect(authCount).toBeGreaterThan(200);
    expect(webCount).toBe(400);
    await expect(pivot.list('logins')).toHaveCount(1);
    await expect(pivot.list('logins')).toContainText('admin');
    await expect(pivot.list('tried').first()).toBeVisible();
    await expect(pivot.list('paths').filter({ hasText: '/index.php' })).toHaveCount(1);
    await expect(pivot.list('agents').filter({ hasText: 'python-requests/2.31.0' })).toHaveCount(1);
    await expect(pivot.miniTimeline.getByTestId('histogram-canvas')).toBeVisible();
    // the login session of this address, on the same page
    const sessionRow = pivot.sessionRows(pivot.entitySessions);
    await expect(sessionRow).toHaveCount(1);
    await expect(sessionRow).toContainText('password');
    await sessionRow.click();
    const detail = pivot.entitySessions.getByTestId('session-detail');
    await expect(detail.getByTestId('session-command')).toHaveCount(2);
    await expect(detail.getByTestId('session-command').first()).toContainText('/usr/sbin/useradd -m -s /bin/bash backup2');
    await expect(detail.getByTestId('session-web-row').first()).toContainText('/index.php');
    // the whole page at once for the screenshot (the section scrolls inside the window)
    await page.setViewportSize({ width: 1600, height: 2000 });
    await page.locator('main.dossier-section').evaluate((el) => {
      (el as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await page.mouse.move(0, 0);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'pivot.png') });
    await page.setViewportSize({ width: 1600, height: 1000 });
    expect(existsSync(join(SCREENSHOT_DIR, 'pivot.png'))).toBe(true);

    // who else: a click pivots on the user; Back returns to the address
    await pivot.list('users').filter({ hasText: 'admin' }).getByRole('button').click();
    await expect(pivot.title).toHaveText('admin');
    await expect(pivot.list('addresses').filter({ hasText: '192.0.2.50' })).toHaveCount(1);
    await expect(pivot.list('commands').filter({ hasText: '/etc/init.d/apache2 restart' })).toHaveCount(1);
    await page.goBack();
    await expect(pivot.title).toHaveText(ATTACKER);
    // one entity form, whatever the history of the page
    await expect(pivot.panel.getByRole('form', { name: 'Pivot on an entity' })).toHaveCount(1);

    // the auth sessions of the whole case: expand the brute-forced login
    await pivot.openSessionsTab();
    await expect(pivot.sessionsView.getByTestId('sessions-count')).toContainText('13 sessions');
    const attacker = pivot.sessionsView.locator(`[data-testid="session-row"][data-src-ip="${ATTACKER}"]`);
    await expect(attacker).toHaveCount(1);
    await attacker.getByRole('button', { name: 'Expand the session' }).click();
    const expanded = pivot.sessionsView.getByTestId('session-detail');
    await expect(expanded.getByTestId('session-command')).toHaveCount(2);
    await expect(expanded.getByTestId('session-web-row')).toHaveCount(10);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'pivot-sessions.png') });
    // every list links to the timeline: the web requests around the session
    await expanded.getByRole('button', { name: /requests in the timeline/u }).click();
    await timeline.expectShown();
    await expect(timeline.chips).toContainText(ATTACKER);
    await expect(timeline.rows().first()).toContainText('/index.php');
    expect(app.consoleErrors).toEqual([]);
  });
});
