// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Adapters like SQLite answer async ports synchronously; Postgres sits behind the same ports.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings in bot/config.ts only.' },
      ],
    },
  },
  {
    files: ['bot/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The layers, from the bottom: domain; store, delivery and cards beside each other; turn; dialogs;
  // bot on top. Nothing points back up.
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'botbuilder*',
            'restify',
            'better-sqlite3',
            'pg',
            'pino',
            '**/bot/*',
            '**/turn/*',
            '**/dialogs/*',
            '**/store/*',
            '**/delivery/*',
            '**/cards/*',
          ],
        },
      ],
    },
  },
  {
    files: ['store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['restify', '**/bot/*', '**/turn/*', '**/dialogs/*', '**/delivery/*'] }],
    },
  },
  {
    files: ['sources/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['restify', '**/bot/*', '**/turn/*', '**/dialogs/*'] }] },
  },
  {
    files: ['turn/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['restify', '**/bot/*', '**/dialogs/*', '**/store/*'] }] },
  },
  {
    files: ['dialogs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['botbuilder', 'botbuilder-core', 'botframework-*', 'restify', '**/bot/*', '**/store/*', '**/delivery/*'] },
      ],
    },
  },
  {
    // Hosting sees the dialogs only through their public entry.
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/dialogs/*', '!**/dialogs/rootDialog'], message: 'Import the dialogs through dialogs/rootDialog.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // jest's asymmetric matchers are typed any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);
