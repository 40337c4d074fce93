// Lint: typescript-eslint, layer boundaries (import-x/no-restricted-paths zones plus per-folder banned
// packages), ReDoS-prone regexes (eslint-plugin-regexp), React hooks rules, and no `.only` in tests.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import regexp from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'worker_threads', 'zlib', 'stream', 'url', 'util', 'buffer', 'events'];

/** Bans bare module names (exact) and `node:` built-ins; relative imports are governed by the zones. */
function banned(packages, message, { node = true } = {}) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: packages.map((name) => ({ name, message })),
        patterns: node ? [{ group: ['node:*'], message }] : [],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.tmp/**', 'dist/**', 'dist-electron/**', 'release/**', 'test-results/**', 'playwright-report/**', '.bench/**', '.conformance/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs['flat/recommended'],
  {
    plugins: { 'import-x': importX },
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
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './shared', from: ['./electron', './renderer'], message: 'shared/ is the pure layer: it imports nothing from electron/ or renderer/.' },
            { target: './electron/core', from: ['./electron/db', './electron/services', './electron/workers', './electron/main', './electron/preload', './electron/server', './electron/cli', './renderer'], message: 'electron/core is pure: parsers and analysis import only shared/ and core/.' },
            { target: './electron/db', from: ['./electron/services', './electron/workers', './electron/main', './electron/preload', './electron/server', './electron/cli', './renderer'] },
            { target: './electron/services', from: ['./electron/main', './electron/preload', './electron/server', './electron/cli', './renderer'] },
            { target: './electron/workers', from: ['./electron/main', './electron/preload', './electron/server', './electron/cli', './renderer'] },
            { target: './electron/server', from: ['./electron/main', './electron/preload', './renderer'] },
            { target: './electron/main', from: ['./electron/server', './electron/cli', './renderer'], message: 'The packaged app never ships the loopback server.' },
            { target: './electron/preload', from: ['./electron/core', './electron/db', './electron/services', './electron/workers', './electron/main', './electron/server', './renderer'] },
            { target: './renderer', from: ['./electron'], message: 'The renderer talks to the back end only through the contract in shared/api.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: banned([...NODE_BUILTINS, 'electron', 'better-sqlite3', 'react', 'react-dom'], 'shared/ runs everywhere: no Node, Electron, SQLite or React.'),
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: banned([...NODE_BUILTINS, 'electron', 'better-sqlite3'], 'electron/core is pure: no Node, Electron or SQLite.'),
  },
  {
    files: ['electron/db/**/*.ts', 'electron/services/**/*.ts', 'electron/workers/**/*.ts', 'electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: banned(['electron'], 'Only electron/main and electron/preload may import Electron.', { node: false }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // TanStack Table/Virtual return functions by design; we do not use the React Compiler.
      'react-hooks/incompatible-library': 'off',
      ...banned([...NODE_BUILTINS, 'electron', 'better-sqlite3'], 'The renderer is a sandboxed web page: no Node, Electron or SQLite.'),
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
