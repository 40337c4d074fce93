import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { SAMPLE_FOLDER, SCREENSHOT_DIR } from '../fixtures/paths';

/** Every file of the bundled sample case is one evidence row. */
const SAMPLE_FILES = readdirSync(SAMPLE_FOLDER, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
import { ReportsPage } from '../pages/reports-page';
import { StartPage } from '../pages/start-page';

const CASE_NAME = 'Sample case: defaced web shop';

test.describe('reports', () => {
  test.beforeEach(({ app }) => {
    test.skip(app.mode !== 'web', 'the report e2e runs in browser mode (path fields instead of native dialogs)');
  });

  test('the Report section previews the chosen sections in a sandboxed frame and saves the HTML to a path', async ({ app }) => {
    const { page } = app;
    const start = new StartPage(page);
    await start.expectVisible();
    await start.root.getByRole('button', { name: 'Open the sample case' }).click();
    const reports = new ReportsPage(page);
    await reports.expectCase(CASE_NAME);
    await reports.open();

    // The preview is the report itself, in a frame that may run nothing.
    await expect(reports.preview).toHaveAttribute('sandbox', '');
    const frame = reports.previewFrame;
    await expect(frame.locator('#sec-cover h1')).toHaveText(CASE_NAME);
    for (const id of ['evidence', 'key_events', 'charts', 'appendix']) {
      await expect(frame.locator(`#sec-${id}`)).toHaveCount(1);
    }
    await expect(frame.locator('#sec-evidence tbody.unit')).toHaveCount(SAMPLE_FILES);
    // The histogram and the analysis panels' charts the sample case has, each drawn as SVG.
    const charts = ['Events over time by source', 'Apache worker PIDs over time', 'Apache worker lifetimes by scoreboard slot', 'Apache restarts against auth.log commands', 'TCP state mix', 'Apache scoreboard state mix'];
    await expect(frame.locator('#sec-charts figure h3')).toHaveText(charts);
    await expect(frame.locator('#sec-charts figure svg')).toHaveCount(charts.length);
    await expect(frame.locator('script')).toHaveCount(0);

    // The chart picker lists the same charts; one unticked leaves the report, ticked again it returns.
    await expect(reports.charts.locator('label')).toHaveText(charts);
    await reports.charts.getByText('TCP state mix').click();
    await expect(frame.locator('#sec-charts figure h3')).toHaveText(charts.filter((c) => c !== 'TCP state mix'));
    await reports.charts.getByText('TCP state mix').click();
    await expect(frame.locator('#sec-charts figure h3')).toHaveText(charts);
    await reports.charts.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports-charts.png') });

    // Switching a section off and moving another changes the preview.
    await reports.section('charts').getByRole('checkbox').uncheck({ force: true });
    await expect(frame.locator('#sec-charts')).toHaveCount(0);
    await expect(reports.charts, 'no chart picker without the charts section').toHaveCount(0);
    await reports.section('appendix').getByRole('button', { name: /up/u }).click();
    await expect(frame.locator('section').last()).toHaveAttribute('id', 'sec-notes');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports.png') });

    const out = join(app.caseDir, 'sample report.html');
    await reports.saveAs('html', out);
    expect(existsSync(out)).toBe(true);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(CASE_NAME);
    expect(html).not.toMatch(/<script/iu);
    expect(app.consoleErrors).toEqual([]);
  });
});
