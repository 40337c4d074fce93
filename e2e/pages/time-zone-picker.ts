import type { Locator, Page } from '@playwright/test';

/** Picks a zone in the searchable time-zone picker whose trigger is `trigger`. */
export async function pickTimeZone(page: Page, trigger: Locator, zone: string): Promise<void> {
  await trigger.click();
  const search = page.getByRole('combobox', { name: 'Search time zones' });
  await search.fill(zone);
  await page.getByRole('listbox', { name: 'Time zones' }).getByRole('option', { name: zone, exact: true }).click();
  await search.waitFor({ state: 'hidden' });
}
