import { expect, type Locator, type Page } from '@playwright/test';
import { WorkspacePage } from './workspace-page';

/** The Hypotheses and Notes sections, and the "Add as evidence to hypothesis…" dialog. */
export class HypothesesPage extends WorkspacePage {
  readonly panel: Locator;
  readonly detail: Locator;
  readonly notes: Locator;
  readonly note: Locator;
  readonly addDialog: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('hypotheses');
    this.detail = page.getByTestId('hypothesis-detail');
    this.notes = page.getByTestId('notes');
    this.note = page.getByTestId('note');
    this.addDialog = page.getByTestId('add-to-hypothesis');
  }

  async openSection(name: 'Hypotheses' | 'Notes' | 'Overview' | 'Timeline'): Promise<void> {
    await this.nav.getByRole('button', { name, exact: true }).click();
    await expect(this.nav.getByRole('button', { name, exact: true })).toHaveAttribute('aria-current', 'page');
  }

  async create(statement: string, rationale: string): Promise<number> {
    await this.openSection('Hypotheses');
    await this.panel.getByTestId('hypothesis-new').click();
    const form = this.panel.getByTestId('hypothesis-new-form');
    await form.getByLabel('Statement').fill(statement);
    await form.getByLabel('Rationale').fill(rationale);
    await form.getByTestId('hypothesis-create').click();
    await expect(this.detail).toContainText(statement);
    return Number(await this.detail.getAttribute('data-hypothesis-id'));
  }

  async addPrediction(statement: string, view: string, expectation: 'at least one' | 'none'): Promise<void> {
    const form = this.detail.getByTestId('prediction-form');
    const before = await this.predictions().count();
    await form.getByTestId('prediction-statement').fill(statement);
    await form.getByTestId('prediction-view').selectOption({ label: view });
    await form.getByTestId('prediction-expectation').selectOption({ label: expectation });
    await form.getByTestId('prediction-add').click();
    await expect(this.predictions()).toHaveCount(before + 1);
  }

  predictions(): Locator {
    return this.detail.getByTestId('prediction');
  }

  prediction(statement: string): Locator {
    return this.predictions().filter({ hasText: statement });
  }

  evidence(): Locator {
    return this.detail.getByTestId('evidence-link');
  }

  /** Fills and submits the "Add as evidence" dialog (already open). */
  async linkInDialog(hypothesisId: number, stance: 'Supports' | 'Refutes' | 'Context', comment: string): Promise<void> {
    await expect(this.addDialog).toBeVisible();
    await this.addDialog.getByTestId('add-h-select').selectOption(String(hypothesisId));
    await this.addDialog.locator('label.bp6-radio', { hasText: stance }).click();
    await expect(this.addDialog.getByRole('radio', { name: stance })).toBeChecked();
    await this.addDialog.getByLabel('Comment').fill(comment);
    await this.addDialog.getByTestId('add-h-submit').click();
    await expect(this.addDialog).toBeHidden();
  }

  historyEntries(): Locator {
    return this.detail.getByTestId('history-entry');
  }
}
