// Lint rules for the whole tree: correctness from ESLint and typescript-eslint, the line limit from
// @stylistic (Prettier formats to 120 columns; comments must fit too), formatting left to Prettier.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.warden/', 'dist/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // One import statement per module (type-only names inline: `import { a, type B }`).
      'no-duplicate-imports': 'error',
      // Input checks match control characters on purpose (paths, log lines, reasons).
      'no-control-regex': 'off',
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          comments: 120,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    // A file over 400 lines says why in its first line (`/* eslint-disable max-lines -- reason */`).
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['test/**'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    // The dependency-cruiser configuration is CommonJS, as the tool reads it.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // GraphQL answers read by clients of the API (tests, benches, the demo) are untyped JSON.
    files: ['test/**', 'bench/**', 'demo/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
