import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/dossier-test';
import { SCREENSHOT_DIR } from '../fixtures/paths';
import { StartPage } from '../pages/start-page';
import { WorkspacePage } from '../pages/workspace-page';

test.describe('cases', () => {
  test('the start screen loads offline, without console errors, and drops the token from the address bar', async ({ app }) => {
    const start = new StartPage(app.page);
    await start.expectVisible();
    await expect(start.newCaseForm).toBeVisible();
    await expect(app.page).toHaveTitle('Dossier');
    // Blueprint's icons are drawn from locally bundled paths
    await expect(start.root.locator('.bp6-icon svg path').first()).toBeAttached();

    expect(app.consoleErrors).toEqual([]);
    if (app.origin !== null) {
      expect(app.page.url()).not.toContain('token=');
      expect(app.requests.filter((url) => !url.startsWith(`${app.origin}/`))).toEqual([]);
      expect(app.requests.filter((url) => !/^http:\/\/127\.0\.0\.1:\d+\//u.test(url))).toEqual([]);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'start.png') });
    }
  });

  test('create, edit, close and reopen a case: the change and its audit trail survive', async ({ app }) => {
    const start = new StartPage(app.page);
    const workspace = new WorkspacePage(app.page);
    const name = 'Web shop defacement';
    await start.expectVisible();

    await start.createCase({
      name,
      number: 'INC-2026-0042',
      examiner: 'Dana Field',
      description: 'Initial triage.',
      classification: 'TLP:AMBER',
      path: join(app.caseDir, 'web-shop.dossier'),
    });
    await workspace.expectCase(name);
    await expect(workspace.header).toContainText('INC-2026-0042');
    await expect(workspace.header).toContainText('TLP:AMBER');
    await expect(workspace.timeZone).toHaveText('Case zone UTC');

    await workspace.editMeta({
      examiner: 'Robin Vale',
      description: 'Probed, brute-forced, restarted. <img src=x onerror=alert(1)>',
      timeZone: 'Europe/Zurich',
    });
    await expect(workspace.timeZone).toHaveText('Case zone Europe/Zurich');
    await expect(workspace.field('examiner')).toHaveText('Robin Vale');
    // hostile text is shown as text, never as markup
    await expect(workspace.field('description')).toHaveText('Probed, brute-forced, restarted. <img src=x onerror=alert(1)>');
    await expect(workspace.overview.locator('img')).toHaveCount(0);
    // fields that were not edited keep their values
    await expect(workspace.field('number')).toHaveText('INC-2026-0042');
    await expect(workspace.field('classification')).toHaveText('TLP:AMBER');
    if (app.mode === 'web') {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await app.page.screenshot({ path: join(SCREENSHOT_DIR, 'workspace.png') });
    }

    await workspace.closeCase();
    await start.expectVisible();
    await expect(start.recentCase(name)).toBeVisible();

    await start.openRecent(name);
    await workspace.expectCase(name);
    await expect(workspace.timeZone).toHaveText('Case zone Europe/Zurich');
    await expect(workspace.field('examiner')).toHaveText('Robin Vale');
    await expect(workspace.field('timeZone')).toHaveText('Europe/Zurich');

    await workspace.goTo('Audit log');
    await expect(workspace.auditRow('case.create')).toHaveCount(1);
    const examinerChange = workspace.auditRow('case.update', 'case.examiner');
    await expect(examinerChange).toHaveCount(1);
    await expect(examinerChange).toContainText('"from":"Dana Field","to":"Robin Vale"');
    await expect(workspace.auditRow('case.update', 'case.timeZone')).toContainText('"from":"UTC","to":"Europe/Zurich"');
    await expect(workspace.auditRow('case.update', 'case.description')).toHaveCount(1);
    await expect(workspace.auditRow('case.update')).toHaveCount(3);
    await expect(workspace.auditRow('case.close')).toHaveCount(1);
    await expect(workspace.auditRow('case.open')).toHaveCount(2);
    // newest first
    await expect(workspace.auditRows().first()).toHaveAttribute('data-action', 'case.open');
    await expect(workspace.auditRows().last()).toHaveAttribute('data-action', 'case.create');

    const verdict = await workspace.verifyChain();
    await expect(verdict).toHaveAttribute('data-verified', 'intact');
    await expect(verdict).toContainText('Chain intact');
    expect(app.consoleErrors).toEqual([]);
  });

  test('opening a file that is not a case shows a clear error', async ({ app }) => {
    test.skip(app.mode === 'electron', 'Electron opens cases through the native dialog; the path field is browser mode only');
    const start = new StartPage(app.page);
    await start.expectVisible();
    const notACase = join(app.caseDir, 'access.log');
    writeFileSync(notACase, '203.0.113.9 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 512\n');

    await start.openByPath(notACase);
    const error = start.errorCallout(start.openCaseForm);
    await expect(error).toBeVisible();
    await expect(error).toContainText('The case was not opened');
    await expect(error).toContainText(`${notACase} is not a Dossier case file`);
    // a message for the analyst, not a stack trace
    await expect(error).not.toContainText(/\bat .*:\d+:\d+/u);
    await expect(start.root).toBeVisible();
  });
});
