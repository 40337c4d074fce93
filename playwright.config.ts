import { defineConfig } from '@playwright/test';
import type { DossierOptions } from './e2e/fixtures/dossier-test';

/**
 * End-to-end tests: one set of specs, two projects.
 * - web: the standalone loopback server (one per worker, fresh user data) + Debian's Chromium.
 * - electron: the real app via Playwright's Electron driver; skipped where Electron cannot start.
 * Build first: `npm run build` (renderer + Node bundles).
 */
export default defineConfig<DossierOptions>({
  testDir: './e2e/specs',
  testMatch: '*.spec.ts',
  forbidOnly: !!process.env['CI'],
  retries: 0,
  workers: process.env['CI'] ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  projects: [
    { name: 'web', use: { appMode: 'web' } },
    { name: 'electron', use: { appMode: 'electron' } },
  ],
});
