// Lint: typescript-eslint, layer boundaries (per-folder no-restricted-imports: packages, node: built-ins
// and layer folders), ReDoS-prone regexes (eslint-plugin-regexp), React hooks rules, and no `.only` in tests.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import regexp from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'worker_threads', 'zlib', 'stream', 'url', 'util', 'buffer', 'events'];

/**
 * One `no-restricted-imports` rule per layer: bare package names (exact), `node:` built-ins, and the
 * layer folders a relative import may not reach (matched on the import string, e.g. `../../db/x`).
 */
function restrict({ packages = [], node = false, folders = [], message }) {
  const patterns = [];
  if (node) {
    patterns.push({ group: ['node:*'], message });
  }
  if (folders.length > 0) {
    patterns.push({ regex: `(^|/)(${folders.join('|')})/`, message });
  }
  return { 'no-restricted-imports': ['error', { paths: packages.map((name) => ({ name, message })), patterns }] };
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.tmp/**', 'dist/**', 'dist-electron/**', 'release/**', 'test-results/**', 'playwright-report/**', '.bench/**', '.conformance/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|describe|test)$/]", message: 'No .only in tests.' },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict({
      packages: [...NODE_BUILTINS, 'electron', 'better-sqlite3', 'react', 'react-dom'],
      node: true,
      folders: ['electron', 'renderer'],
      message: 'shared/ is the pure layer: no Node, Electron, SQLite or React, nothing from electron/ or renderer/.',
    }),
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict({
      packages: [...NODE_BUILTINS, 'electron', 'better-sqlite3'],
      node: true,
      folders: ['db', 'services', 'workers', 'main', 'preload', 'server', 'cli', 'renderer'],
      message: 'electron/core is pure: no Node, Electron or SQLite; it imports only shared/ and core/.',
    }),
  },
  {
    files: ['electron/db/**/*.ts'],
    rules: restrict({ packages: ['electron'], folders: ['services', 'workers', 'main', 'preload', 'server', 'cli', 'renderer'], message: 'electron/db imports only shared/, core/ and db/; never Electron.' }),
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: restrict({ packages: ['electron'], folders: ['workers', 'main', 'preload', 'server', 'cli', 'renderer'], message: 'Services get workers and hosts through ports; never Electron.' }),
  },
  {
    files: ['electron/workers/**/*.ts'],
    rules: restrict({ packages: ['electron'], folders: ['main', 'preload', 'server', 'cli', 'renderer'], message: 'Workers never import hosts or Electron.' }),
  },
  {
    files: ['electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict({ packages: ['electron'], folders: ['main', 'preload', 'renderer'], message: 'The loopback server and the CLI never import Electron.' }),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict({ folders: ['server', 'cli', 'renderer'], message: 'The packaged app never ships the loopback server or the CLI.' }),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict({ node: true, folders: ['core', 'db', 'services', 'workers', 'main', 'server', 'cli', 'renderer'], message: 'The sandboxed preload imports only electron and the contract names.' }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // TanStack Table/Virtual return functions by design; we do not use the React Compiler.
      'react-hooks/incompatible-library': 'off',
      ...restrict({
        packages: [...NODE_BUILTINS, 'electron', 'better-sqlite3'],
        node: true,
        folders: ['electron'],
        message: 'The renderer is a sandboxed web page: no Node, Electron or SQLite; the back end only through shared/api.',
      }),
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Log content is hostile: never render it as HTML.' },
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: 'Log content is hostile: never render it as HTML.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'scripts/**/*', 'electron/testing/**/*.ts', 'electron/**/testing/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js', '*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
