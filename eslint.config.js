import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'release', '.tmp', 'bench/data', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['src-main/**/*.ts', 'migrations/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-main/electron/**'],
    rules: {
      // Electron and electron-store load only behind the Electron entry point.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only src-main/electron may import electron.' }, { name: 'electron-store', message: 'Only src-main/electron may import electron-store.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src-main/(?!contract/)',
              message: 'The renderer may import only src-main/contract (zod schemas and types).',
            },
          ],
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.clinicDesk.invoke.' }],
        },
      ],
    },
  },
);
