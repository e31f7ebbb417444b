// ESLint flat config (issue #15): type-aware rules that keep the code's shape — no unused code, no floating
// promises, consistent type imports, no suppression without its reason beside it. `pnpm lint` runs it after tsc.
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS_FILES = ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'];

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'docs/api/**',
      // generated: vendor doc examples and test artifacts
      'packages/*/test/fixtures/doc-examples/**',
      'packages/migrate/test/artifacts/**',
      // build configuration, outside the linted sources (tsconfig.json does not include it)
      '**/tsup.config.ts',
      'tsup.base.ts',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@eslint-community/eslint-comments': eslintComments, '@typescript-eslint': tseslint.plugin },
    rules: {
      'prefer-const': 'error',
      'no-var': 'error',
      eqeqeq: ['error', 'smart'],
      'no-unreachable': 'error',
      'no-useless-catch': 'error',
      'no-empty': 'error',
      'no-fallthrough': 'error',
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      '@eslint-community/eslint-comments/no-unused-disable': 'error',
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
    },
  },
  {
    files: TS_FILES,
    languageOptions: {
      parser: tseslint.parser,
      // one program for the whole workspace: tsconfig.json includes every linted .ts file and maps
      // @contactkit/* to src (bench/tsconfig.json maps them to dist, which may not be built)
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-expressions': 'error',
      // a TypeScript suppression says why, like an eslint-disable does
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description', 'ts-ignore': true, 'ts-nocheck': true, minimumDescriptionLength: 5 }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
      // library code reports through hooks and typed errors, never the console (which may leak a secret)
      'no-console': 'error',
    },
  },
);
