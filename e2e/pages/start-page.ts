import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell';
import { pickTimeZone } from './time-zone-picker';

export type NewCaseInput = Readonly<{
  name: string;
  path: string;
  number?: string;
  examiner?: string;
  description?: string;
  timeZone?: string;
  classification?: string;
}>;

/** The start screen: new case, open case, recent cases, sample. */
export class StartPage extends AppShell {
  readonly root: Locator;
  readonly newCaseForm: Locator;
  readonly openCaseForm: Locator;
  readonly recentCases: Locator;

  constructor(page: Page) {
    super(page);
    this.root = page.getByTestId('start-screen');
    this.newCaseForm = page.getByRole('form', { name: 'New case' });
    this.openCaseForm = page.getByRole('form', { name: 'Open case' });
    this.recentCases = page.getByRole('list', { name: 'Recent cases' });
  }

  async expectVisible(): Promise<void> {
    await expect(this.root).toBeVisible();
    await this.waitUntilReady();
  }

  async createCase(input: NewCaseInput): Promise<void> {
    const form = this.newCaseForm;
    await form.getByLabel('Case name').fill(input.name);
    if (input.number !== undefined) {
      await form.getByLabel('Case number').fill(input.number);
    }
    if (input.examiner !== undefined) {
      await form.getByLabel('Examiner').fill(input.examiner);
    }
    if (input.description !== undefined) {
      await form.getByLabel('Description').fill(input.description);
    }
    if (input.timeZone !== undefined) {
      await pickTimeZone(this.page, form.getByLabel('Default time zone'), input.timeZone);
    }
    if (input.classification !== undefined) {
      await form.getByLabel('Classification').fill(input.classification);
    }
    await form.getByLabel('Case file', { exact: true }).fill(input.path);
    await form.getByRole('button', { name: 'Create case' }).click();
  }

  /** Browser mode: opens a file by typing its path. */
  async openByPath(path: string): Promise<void> {
    await this.openCaseForm.getByLabel('Case file path').fill(path);
    await this.openCaseForm.getByRole('button', { name: 'Open', exact: true }).click();
  }

  recentCase(name: string): Locator {
    return this.recentCases.getByTestId('recent-case').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  async openRecent(name: string): Promise<void> {
    await this.recentCase(name).getByRole('button', { name, exact: true }).click();
  }

  errorCallout(form: Locator): Locator {
    return form.getByTestId('error-callout');
  }
}
