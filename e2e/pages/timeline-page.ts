import { expect, type Locator, type Page } from '@playwright/test';
import { WorkspacePage } from './workspace-page';

export type FrameStats = Readonly<{
  frames: number;
  rowsScrolled: number;
  elapsedMs: number;
  p50: number;
  p95: number;
  max: number;
  deltas: ReadonlyArray<number>;
}>;

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** The Timeline section: histogram, search and filters, the event grid, the detail panel. */
export class TimelinePage extends WorkspacePage {
  readonly panel: Locator;
  readonly histogram: Locator;
  readonly canvas: Locator;
  readonly search: Locator;
  readonly searchError: Locator;
  readonly chips: Locator;
  readonly grid: Locator;
  readonly detail: Locator;
  readonly zoneButton: Locator;
  readonly status: Locator;

  constructor(page: Page) {
    super(page);
    this.panel = page.getByTestId('timeline');
    this.histogram = page.getByTestId('histogram');
    this.canvas = page.getByTestId('histogram-canvas');
    this.search = page.getByRole('searchbox', { name: 'Search events' });
    this.searchError = page.getByTestId('search-error');
    this.chips = page.getByTestId('filter-chips');
    this.grid = page.getByTestId('timeline-scroll');
    this.detail = page.getByTestId('event-detail');
    this.zoneButton = page.getByTestId('timeline-zone');
    this.status = page.getByTestId('timeline-status');
  }

  async open(): Promise<void> {
    await this.nav.getByRole('button', { name: 'Timeline' }).click();
    await this.expectShown();
  }

  /** The section is current and its first rows are drawn. */
  async expectShown(): Promise<void> {
    await expect(this.nav.getByRole('button', { name: 'Timeline' })).toHaveAttribute('aria-current', 'page');
    await expect(this.panel).toBeVisible();
    await expect(this.rows().first()).toBeVisible();
    await expect(this.canvas).toBeVisible();
  }

  rows(): Locator {
    return this.grid.getByTestId('timeline-row');
  }

  cell(row: Locator, column: string): Locator {
    return row.locator(`[data-col="${column}"]`);
  }

  /** The text of one column over the rows in the DOM (the visible ones, plus a margin). */
  async columnTexts(column: string): Promise<string[]> {
    return this.grid.locator(`[data-testid="timeline-row"] [data-col="${column}"]`).allInnerTexts();
  }

  chip(key: string): Locator {
    return this.chips.locator(`[data-chip="${key}"]`);
  }

  async removeChip(key: string): Promise<void> {
    await this.chip(key).getByRole('button').click();
    await expect(this.chip(key)).toHaveCount(0);
  }

  /** The histogram shows the current filter (not the previous one while it reloads). */
  async histogramSettled(): Promise<void> {
    await expect(this.histogram).toHaveAttribute('aria-busy', 'false');
  }

  async histogramTotal(): Promise<number> {
    return Number((await this.histogram.getByTestId('histogram-total').innerText()).replace(/\D/gu, ''));
  }

  /** Drags across the histogram canvas from one fraction of its width to another (a brush). */
  async brush(fromFraction: number, toFraction: number): Promise<void> {
    await this.histogramSettled();
    const box = await this.canvas.boundingBox();
    if (box === null) {
      throw new Error('the histogram is not drawn');
    }
    const y = box.y + box.height * 0.45;
    await this.page.mouse.move(box.x + box.width * fromFraction, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * ((fromFraction + toFraction) / 2), y, { steps: 5 });
    await this.page.mouse.move(box.x + box.width * toFraction, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Clicks the histogram near its baseline at a fraction of its width (one bucket). */
  async clickBar(fraction: number): Promise<void> {
    await this.histogramSettled();
    const box = await this.canvas.boundingBox();
    if (box === null) {
      throw new Error('the histogram is not drawn');
    }
    await this.page.mouse.click(box.x + box.width * fraction, box.y + box.height - 28);
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text);
    await this.search.press('Enter');
  }

  /** "Add filter" → a field → a typed value (Enter) → closes the popover. */
  async addFilter(field: string, value: string): Promise<Locator> {
    const picker = await this.openFilterField(field);
    await picker.getByLabel(`${field} value`).fill(value);
    await picker.getByLabel(`${field} value`).press('Enter');
    return picker;
  }

  async openFilterField(field: string): Promise<Locator> {
    const popover = this.page.getByTestId('add-filter');
    if (!(await popover.isVisible())) {
      await this.panel.getByTestId('add-filter-button').click();
    }
    await popover.getByRole('menuitem', { name: field, exact: true }).click();
    return popover;
  }

  async closePopover(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.locator('.bp6-popover')).toHaveCount(0);
  }

  async openDetail(row: Locator): Promise<void> {
    await row.click();
    await this.grid.press('Enter');
    await expect(this.detail).toBeVisible();
    await expect(this.detail).toHaveAttribute('data-event-id', (await row.getAttribute('data-row-id')) ?? '');
  }

  async addTag(name: string, colour: string): Promise<void> {
    const form = this.detail.getByRole('form', { name: 'Add a tag' });
    await form.getByLabel('Tag name').fill(name);
    await form.getByRole('radio', { name: `Colour ${colour}` }).click();
    await form.getByRole('button', { name: 'Add tag' }).click();
    await expect(this.detail.getByTestId('event-tag').filter({ hasText: name })).toBeVisible();
  }

  async addComment(body: string): Promise<void> {
    const form = this.detail.getByRole('form', { name: 'Add a comment' });
    await form.getByLabel('Comment').fill(body);
    await form.getByRole('button', { name: 'Add comment' }).click();
    await expect(form.getByLabel('Comment')).toHaveValue('');
  }

  comments(): Locator {
    return this.detail.getByTestId('comment-body');
  }

  async saveView(name: string): Promise<void> {
    await this.panel.getByTestId('views-button').click();
    await this.page.getByRole('menuitem', { name: 'Save current view…' }).click();
    const form = this.page.getByRole('form', { name: 'Save view' });
    await form.getByLabel('View name').fill(name);
    await form.getByRole('button', { name: /^(Save|Replace)$/u }).click();
    await expect(form).toBeHidden();
  }

  async openView(name: string): Promise<void> {
    await this.panel.getByTestId('views-button').click();
    await this.page.getByTestId('views-menu').getByText(name, { exact: true }).click();
  }

  async setZone(choice: 'Case zone' | 'UTC' | 'This computer'): Promise<void> {
    await this.zoneButton.click();
    // options read "Case zone Europe/Berlin", "UTC", "This computer Asia/Tokyo"
    const name = choice === 'UTC' ? /^UTC$/u : new RegExp(`^${choice}`, 'u');
    await this.page.getByRole('listbox', { name: 'Display zone' }).getByRole('option', { name }).click();
  }

  /**
   * Scrolls the grid down by `rowsPerFrame` rows every animation frame until `rows` rows have
   * passed (pages load on the way), recording the time between frames.
   */
  async measureScroll(rows: number, rowsPerFrame: number, rowHeight: number): Promise<FrameStats> {
    const result = await this.grid.evaluate(
      async (node, args) => {
        const el = node as unknown as { scrollTop: number };
        const raf = (globalThis as unknown as { requestAnimationFrame: (cb: (t: number) => void) => number }).requestAnimationFrame;
        const target = args.rows * args.rowHeight;
        const step = args.rowsPerFrame * args.rowHeight;
        const deltas: number[] = [];
        let travelled = 0;
        let last = 0;
        const started = performance.now();
        await new Promise<void>((resolve) => {
          const frame = (t: number) => {
            if (last !== 0) {
              deltas.push(t - last);
            }
            last = t;
            if (travelled >= target || t - started > 150_000) {
              resolve();
              return;
            }
            const before = el.scrollTop;
            el.scrollTop = before + step;
            travelled += el.scrollTop - before;
            raf(frame);
          };
          raf(frame);
        });
        return { deltas, travelled, elapsedMs: performance.now() - started };
      },
      { rows, rowsPerFrame, rowHeight },
    );
    const sorted = [...result.deltas].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      frames: result.deltas.length,
      rowsScrolled: Math.round(result.travelled / rowHeight),
      elapsedMs: Math.round(result.elapsedMs),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      max: round(sorted.at(-1) ?? 0),
      deltas: result.deltas.map(round),
    };
  }
}
