import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { WorkspacePage } from './workspace-page';

/** The Report section: options, preview frame, save buttons and the browser-mode path dialog. */
export class ReportsPage extends WorkspacePage {
  readonly panel: Locator;
  readonly preview: Locator;
  readonly previewFrame: FrameLocator;
  /** The chart picker (shown while the Charts section is ticked). */
  readonly charts: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('reports-panel');
    this.preview = page.getByTestId('report-preview');
    this.previewFrame = page.frameLocator('[data-testid="report-preview"]');
    this.charts = page.getByRole('list', { name: 'Report charts' });
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Report' }).click();
    await expect(this.panel).toBeVisible();
    await expect(this.preview).toBeVisible({ timeout: 30_000 });
  }

  section(id: string): Locator {
    return this.panel.locator(`[data-testid="report-section-choice"][data-section="${id}"]`);
  }

  async saveAs(kind: 'html' | 'pdf', path: string): Promise<void> {
    await this.panel.getByTestId(kind === 'html' ? 'report-save-html' : 'report-save-pdf').click();
    const form = this.page.getByRole('form', { name: 'Save report' });
    await form.getByLabel('File').fill(path);
    await form.getByTestId('report-save-submit').click();
    await expect(form).toBeHidden({ timeout: 60_000 });
  }
}
