import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell';
import { pickTimeZone } from './time-zone-picker';

export type MetaEdit = Readonly<{
  name?: string;
  number?: string;
  examiner?: string;
  description?: string;
  timeZone?: string;
  classification?: string;
}>;

/** The open case: header, section navigation, Overview and Audit log. */
export class WorkspacePage extends AppShell {
  readonly root: Locator;
  readonly header: Locator;
  readonly timeZone: Locator;
  readonly nav: Locator;
  readonly overview: Locator;
  readonly auditLog: Locator;

  constructor(page: Page) {
    super(page);
    this.root = page.getByTestId('workspace');
    this.header = page.getByTestId('case-header');
    this.timeZone = page.getByTestId('case-time-zone');
    this.nav = page.getByRole('navigation', { name: 'Case sections' });
    this.overview = page.getByTestId('overview');
    this.auditLog = page.getByTestId('audit-log');
  }

  async expectCase(name: string): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.header).toContainText(name);
    await this.waitUntilReady();
  }

  async goTo(section: 'Overview' | 'Audit log'): Promise<void> {
    await this.nav.getByRole('button', { name: section }).click();
    await expect(this.nav.getByRole('button', { name: section })).toHaveAttribute('aria-current', 'page');
  }

  /**
   * Clicks every section of the navigation, in order, whatever sections this build has (new panels
   * are visited without touching the specs), and runs `check` on each once it is current and idle.
   * Returns the labels visited.
   */
  async visitEverySection(check: (label: string) => Promise<void> = async () => undefined): Promise<string[]> {
    const buttons = this.nav.getByRole('button');
    const count = await buttons.count();
    const visited: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const button = buttons.nth(i);
      const label = (await button.innerText()).trim().split('\n')[0] ?? `section ${i}`;
      await button.click();
      await expect(button, label).toHaveAttribute('aria-current', 'page');
      const main = this.page.locator('main.dossier-section');
      await expect(main, label).toBeVisible();
      // lazy panels: the spinner goes, then the data arrives
      await expect(main.locator('.dossier-section-spinner'), label).toHaveCount(0, { timeout: 30_000 });
      await this.waitUntilSettled();
      await check(label);
      visited.push(label);
    }
    return visited;
  }

  field(name: 'name' | 'number' | 'examiner' | 'description' | 'timeZone' | 'classification'): Locator {
    return this.overview.getByTestId(`field-${name}`);
  }

  async editMeta(edit: MetaEdit): Promise<void> {
    await this.goTo('Overview');
    await this.overview.getByRole('button', { name: 'Edit' }).click();
    const form = this.page.getByRole('form', { name: 'Edit case details' });
    const text: ReadonlyArray<[keyof MetaEdit, string]> = [
      ['name', 'Case name'],
      ['number', 'Case number'],
      ['examiner', 'Examiner'],
      ['description', 'Description'],
      ['classification', 'Classification'],
    ];
    for (const [key, label] of text) {
      const value = edit[key];
      if (value !== undefined) {
        await form.getByLabel(label).fill(value);
      }
    }
    if (edit.timeZone !== undefined) {
      await pickTimeZone(this.page, form.getByLabel('Time zone'), edit.timeZone);
    }
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form).toBeHidden();
    await this.waitUntilReady();
  }

  async closeCase(): Promise<void> {
    await this.navbar.getByRole('button', { name: 'Close', exact: true }).click();
  }

  auditRows(): Locator {
    return this.auditLog.getByTestId('audit-row');
  }

  auditRow(action: string, target?: string): Locator {
    const rows = this.auditLog.locator(`[data-testid="audit-row"][data-action="${action}"]`);
    return target === undefined ? rows : rows.filter({ hasText: target });
  }

  async verifyChain(): Promise<Locator> {
    await this.auditLog.getByRole('button', { name: 'Verify chain' }).click();
    const result = this.auditLog.getByTestId('verify-result');
    await expect(result).toBeVisible();
    return result;
  }
}
