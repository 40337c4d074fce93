import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell';

/** The Findings section: grouped findings, the detail of one, its review. */
export class FindingsPage extends AppShell {
  readonly panel: Locator;
  readonly detail: Locator;
  readonly nav: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('findings');
    this.detail = page.getByTestId('finding-detail');
    this.nav = page.getByRole('navigation', { name: 'Case sections' });
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Findings' }).click();
    await expect(this.panel).toBeVisible();
    await expect(this.rows().first()).toBeVisible();
  }

  rows(): Locator {
    return this.panel.getByTestId('finding-row');
  }

  row(rule: string): Locator {
    return this.panel.locator(`[data-testid="finding-row"][data-rule="${rule}"]`);
  }

  async openFinding(rule: string): Promise<void> {
    await this.row(rule).first().click();
    await expect(this.detail).toBeVisible();
  }

  async review(kind: 'confirmed' | 'false-positive', comment: string): Promise<void> {
    await this.detail.getByRole('textbox', { name: 'Review comment' }).fill(comment);
    await this.detail.getByTestId(`review-${kind}`).click();
    await expect(this.detail.getByTestId('finding-review-tag')).toBeVisible();
  }
}
