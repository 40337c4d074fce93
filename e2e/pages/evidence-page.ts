import { expect, type Locator, type Page } from '@playwright/test';
import { WorkspacePage } from './workspace-page';

/** The Evidence section: the list, the detail drawer, and the add-evidence (ingest) flow. */
export class EvidencePage extends WorkspacePage {
  readonly panel: Locator;
  readonly table: Locator;
  readonly detail: Locator;
  readonly addView: Locator;
  readonly preview: Locator;
  readonly progress: Locator;
  readonly summary: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('evidence');
    this.table = page.getByTestId('evidence-table');
    this.detail = page.getByTestId('evidence-detail');
    this.addView = page.getByTestId('add-evidence');
    this.preview = page.getByTestId('scan-preview');
    this.progress = page.getByTestId('ingest-progress');
    this.summary = page.getByTestId('ingest-summary');
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Evidence' }).click();
    await expect(this.nav.getByRole('button', { name: 'Evidence' })).toHaveAttribute('aria-current', 'page');
    await expect(this.panel).toBeVisible();
  }

  /** Browser mode: "Add evidence…", type the folder, scan. */
  async scanFolder(folder: string): Promise<void> {
    await this.panel.getByRole('button', { name: 'Add evidence…' }).first().click();
    await this.addView.getByLabel('Case folder').fill(folder);
    await this.addView.getByRole('button', { name: 'Scan' }).click();
    await expect(this.preview).toBeVisible();
  }

  scanRow(path: string): Locator {
    return this.preview.locator(`[data-testid="scan-row"][data-path="${path}"]`);
  }

  async startIngest(): Promise<void> {
    await this.addView.getByRole('button', { name: 'Start ingest' }).click();
    await expect(this.addView).toBeHidden();
  }

  rows(): Locator {
    return this.table.getByTestId('evidence-row');
  }

  row(path: string): Locator {
    return this.table.locator(`[data-testid="evidence-row"][data-path="${path}"]`);
  }

  cell(row: Locator, column: string): Locator {
    return row.locator(`td[data-col="${column}"]`);
  }

  /** A count cell as a number ("1,592" → 1592). */
  async count(row: Locator, column: 'lines' | 'events' | 'rawOnly'): Promise<number> {
    return Number((await this.cell(row, column).innerText()).replace(/,/gu, ''));
  }

  async openDetail(path: string): Promise<void> {
    await this.cell(this.row(path), 'path').click();
    await expect(this.detail).toBeVisible();
    await expect(this.detail.getByTestId('detail-path')).toHaveText(path);
  }

  /**
   * Escape closes the topmost overlay first: a toast that just appeared (e.g. "re-timed") takes the
   * first Escape, the drawer the next one.
   */
  async closeDetail(): Promise<void> {
    await expect(async () => {
      await this.page.keyboard.press('Escape');
      await expect(this.detail).toBeHidden({ timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
  }

  /** The ingest's line count as the progress view shows it. */
  async progressLines(): Promise<number> {
    return Number((await this.progress.getByTestId('ingest-lines').getAttribute('data-value')) ?? '0');
  }
}
