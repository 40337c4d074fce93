import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { SCREENSHOT_DIR } from '../fixtures/paths';
import { FindingsPage } from '../pages/findings-page';
import { PivotPage } from '../pages/pivot-page';
import { StartPage } from '../pages/start-page';
import { TimelinePage } from '../pages/timeline-page';

const CASE_NAME = 'Sample case: defaced web shop';

test.describe('findings', () => {
  test.beforeEach(({ app }) => {
    test.skip(app.mode !== 'web', 'the findings e2e runs in browser mode (URL hash to the timeline)');
  });

  test('open a finding, review it, jump to its events in the timeline; screenshot', async ({ app }) => {
    const { page } = app;
    const start = new StartPage(page);
    const timeline = new TimelinePage(page);
    const findings = new FindingsPage(page);
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    await timeline.expectCase(CASE_NAME);
    await page.setViewportSize({ width: 1600, height: 960 });

    await findings.open();
    // grouped by category, most severe first; the planted compromise is there
    await expect(findings.panel.getByTestId('findings-group').first()).toBeVisible();
    await expect(findings.row('ssh.bruteforce_success')).toHaveAttribute('data-severity', 'critical');
    await expect(findings.row('crash.segfault_storm')).toBeVisible();

    await findings.openFinding('ssh.bruteforce_success');
    await expect(findings.detail).toContainText('203.0.113.45');
    await expect(findings.detail.getByTestId('finding-events').locator('tbody tr').first()).toBeVisible();
    await expect(findings.detail.getByTestId('add-to-hypothesis-button')).toHaveCount(1);
    await findings.review('confirmed', 'Password guessed after 240 failures.');
    await expect(findings.row('ssh.bruteforce_success').getByTestId('finding-review-tag')).toHaveText('Confirmed');

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'findings.png') });

    // jump to its events: the timeline filtered by the finding, every row from the attacker
    const total = Number(/Show ([\d,]+) events/u.exec((await findings.detail.getByTestId('finding-show-events').textContent()) ?? '')?.[1]?.replace(/,/gu, '') ?? '0');
    expect(total).toBeGreaterThan(200);
    await findings.detail.getByTestId('finding-show-events').click();
    await timeline.expectShown();
    await expect(timeline.chip('finding')).toBeVisible();
    await expect.poll(() => timeline.histogramTotal()).toBe(total);
    for (const text of await timeline.rows().allTextContents()) {
      expect(text).toContain('203.0.113.45');
    }

    // back to the finding, and pivot on its address: its auth.log and web activity on one page
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('button', { name: 'Findings' }).click();
    await findings.openFinding('ssh.bruteforce_success');
    await findings.detail.getByTestId('finding-pivot-ip').filter({ hasText: '203.0.113.45' }).click();
    const pivot = new PivotPage(page);
    await pivot.expectShown();
    await expect(pivot.title).toHaveText('203.0.113.45');
    await expect(pivot.sourceRow('auth')).toContainText('auth.log');
    await expect(pivot.sourceRow('apache_access')).toContainText('access.log');
    await expect(pivot.panel.locator('[data-testid="pivot-finding"][data-rule="ssh.bruteforce_success"]')).toHaveCount(1);

    // the review is in the audit log
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('button', { name: 'Audit log' }).click();
    await expect(page.getByTestId('audit-row').filter({ hasText: 'finding.review' }).first()).toBeVisible();
    expect(app.consoleErrors).toEqual([]);
  });
});
