import { expect, type Locator, type Page } from '@playwright/test';
import { WorkspacePage } from './workspace-page';

/** The Pivot section: one entity across every source, and the auth.log sessions. */
export class PivotPage extends WorkspacePage {
  readonly panel: Locator;
  readonly entity: Locator;
  readonly title: Locator;
  readonly sources: Locator;
  readonly related: Locator;
  readonly whoElse: Locator;
  readonly miniTimeline: Locator;
  readonly entitySessions: Locator;
  readonly sessionsView: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('pivot');
    this.entity = page.getByTestId('pivot-entity');
    this.title = page.getByTestId('pivot-title');
    this.sources = page.getByTestId('pivot-sources');
    this.related = page.getByTestId('pivot-related');
    this.whoElse = page.getByTestId('pivot-who-else');
    this.miniTimeline = page.getByTestId('pivot-timeline');
    this.entitySessions = page.getByTestId('pivot-sessions');
    this.sessionsView = page.getByTestId('sessions-view');
  }

  async expectShown(): Promise<void> {
    await expect(this.nav.getByRole('button', { name: 'Pivot' })).toHaveAttribute('aria-current', 'page');
    await expect(this.panel).toBeVisible();
  }

  /** The row of one source kind in the per-source table. */
  sourceRow(kind: string): Locator {
    return this.sources.locator(`[data-testid="pivot-source-row"][data-source-kind="${kind}"]`);
  }

  /** The values of a related or who-else list. */
  list(id: string): Locator {
    return this.panel.locator(`[data-testid="pivot-list"][data-list="${id}"]`).getByTestId('pivot-value');
  }

  async openSessionsTab(): Promise<void> {
    await this.panel.getByRole('tab', { name: 'Auth sessions' }).click();
    await expect(this.sessionsView).toBeVisible();
  }

  sessionRows(scope: Locator): Locator {
    return scope.getByTestId('session-row');
  }
}
