import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The conformance suite: parsers against the real public logs in ../shared/corpus (skipped when absent). */
export default defineConfig({
  test: {
    root,
    include: ['electron/**/*.conformance.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    pool: 'forks',
  },
});
