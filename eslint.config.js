// ESLint for the TypeScript (typescript-eslint, type-aware), the sandbox scripts (plain ES2019, as
// every client that imports Postman files runs them) and the build scripts. Formatting is
// Prettier's (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.ci/clients/', 'collections/', 'environments/', 'postman/', 'reports/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Template literals with numbers read well in messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // With noUncheckedIndexedAccess, `!` after a lookup that cannot miss is the honest idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `return send(res, ...)` in a handler that returns void reads as "answer and stop".
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Functions stay short: one job each (the catalogue's data is the one exception, below).
      'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/catalogue.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // Tests: describe() and it() bodies are long by nature, and they read JSON answers, reports and
    // third-party clients' output whose shape is what their assertions check.
    files: ['test/**/*.ts'],
    rules: {
      'max-lines-per-function': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
    },
  },
  {
    // The Postman sandbox: scripts, not modules; the globals the clients give them.
    files: ['src/sandbox/**/*.js'],
    languageOptions: {
      ecmaVersion: 2019,
      sourceType: 'script',
      globals: { pm: 'readonly', bru: 'readonly', require: 'readonly', console: 'readonly', GDX: 'readonly' },
    },
    // The scripts of one request share their top-level vars (the generator joins them), so a var
    // one declares and another assigns is not unassigned; and a var given its fallback before a
    // try reads, in ES2019 without optional catch bindings, as the value when the try fails.
    rules: { 'no-unused-vars': 'off', 'no-var': 'off', 'no-redeclare': 'off', 'no-unassigned-vars': 'off', 'no-useless-assignment': 'off' },
  },
  {
    files: ['scripts/**/*.{mjs,cjs,js}', 'test/**/*.mjs', '.dependency-cruiser.cjs', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
