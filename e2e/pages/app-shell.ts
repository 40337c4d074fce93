import { expect, type Locator, type Page } from '@playwright/test';

/** What every screen shares: the readiness signal and the title bar. */
export class AppShell {
  readonly page: Page;
  readonly navbar: Locator;

  constructor(page: Page) {
    this.page = page;
    this.navbar = page.locator('.dossier-navbar');
  }

  /** Waits until the app has its data and no change is in flight. */
  async waitUntilReady(): Promise<void> {
    await expect(this.page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  }

  /** No query in flight (the app's own count; the event stream keeps the network busy for good). */
  async waitUntilSettled(): Promise<void> {
    await this.waitUntilReady();
    await expect(this.page.locator('body')).toHaveAttribute('data-fetching', '0', { timeout: 30_000 });
  }
}
