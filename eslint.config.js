// Lint for the whole tree: ESLint's and typescript-eslint's recommended rules, plus the project's own
// (an empty catch would swallow an error; see the quality bar in the README's contributing notes).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'results/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  { ignores: ['lib/report/client/**'], languageOptions: { globals: { ...globals.node } } },
  // The script inside report.html runs in a browser (checked against the DOM by its own tsconfig): browser
  // globals, and no Node module can be bundled into it.
  {
    files: ['lib/report/client/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'the report page runs in a browser, not Node' }] },
      ],
    },
  },
);
