// `npm test`: type-check, lint, unit/integration tests (Vitest), the conformance suite when
// ../shared/corpus is present, and the browser-mode end-to-end tests (Playwright + Chromium).
// Ends with one line CI can count: `tests: N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(name, args, { count } = {}) {
  if (only.length > 0 && !only.includes(name)) {
    return;
  }
  const started = Date.now();
  console.log(`\n=== ${name}: ${args.slice(1).join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (count !== undefined) {
    count();
  }
  if (r.status !== 0) {
    failures.push(name);
    console.log(`=== ${name}: FAILED (${seconds} s)`);
  } else {
    console.log(`=== ${name}: ok (${seconds} s)`);
  }
}

function countVitest(file) {
  return () => {
    if (!existsSync(file)) {
      totals.failed += 1;
      return;
    }
    const r = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  };
}

function countPlaywright(file) {
  return () => {
    if (!existsSync(file)) {
      totals.failed += 1;
      return;
    }
    const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
  };
}

const tsc = bin('typescript', 'bin/tsc');
step('typecheck', [tsc, '-p', 'tsconfig.shared.json']);
step('typecheck', [tsc, '-p', 'tsconfig.node.json']);
step('typecheck', [tsc, '-p', 'tsconfig.web.json']);
step('lint', [bin('eslint', 'bin/eslint.js'), '--max-warnings=0', '.']);

const unitJson = join(root, 'test-results', 'vitest.json');
rmSync(unitJson, { force: true });
step('unit', [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`], { count: countVitest(unitJson) });

const corpus = process.env.DOSSIER_CORPUS ? resolve(process.env.DOSSIER_CORPUS) : resolve(root, '..', 'shared', 'corpus');
if (existsSync(corpus)) {
  const confJson = join(root, 'test-results', 'conformance.json');
  rmSync(confJson, { force: true });
  step('conformance', [bin('vitest', 'vitest.mjs'), 'run', '--config', 'vitest.conformance.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${confJson}`], { count: countVitest(confJson) });
} else {
  console.log(`\n=== conformance: skipped (no corpus at ${corpus})`);
}

step('build', [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn']);
step('build', [join(root, 'scripts', 'build-node.mjs')]);
const e2eJson = join(root, 'test-results', 'e2e.json');
rmSync(e2eJson, { force: true });
step('e2e', [bin('@playwright/test', 'cli.js'), 'test', '--project=web'], { count: countPlaywright(e2eJson) });

console.log('');
if (failures.length > 0) {
  console.log(`failed steps: ${[...new Set(failures)].join(', ')}`);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
