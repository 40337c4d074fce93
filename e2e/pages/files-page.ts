import { expect, type Locator, type Page } from '@playwright/test';
import { WorkspacePage } from './workspace-page';

/** The "Files & processes" section: manifest changes, bodyfile activity, strace per PID. */
export class FilesPage extends WorkspacePage {
  readonly panel: Locator;
  readonly changes: Locator;
  readonly activity: Locator;
  readonly strace: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('files-panel');
    this.changes = page.getByTestId('files-changes');
    this.activity = page.getByTestId('files-activity');
    this.strace = page.getByTestId('files-strace');
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Files & processes' }).click();
    await expect(this.panel).toBeVisible();
  }

  change(status: 'changed' | 'appeared' | 'disappeared', relPath: string): Locator {
    return this.changes.locator(`[data-testid="file-change-row"][data-status="${status}"][data-path="${relPath}"]`);
  }

  straceRow(pid: number): Locator {
    return this.strace.locator(`[data-testid="strace-row"][data-pid="${pid}"]`);
  }
}
