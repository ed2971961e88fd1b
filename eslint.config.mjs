import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import regexp from 'eslint-plugin-regexp'

// Runtime boundaries are enforced here, not by review (see ../shared/style/aesthetics.md §9 rule 3).
const pureCoreBans = {
  patterns: [
    {
      group: [
        'electron',
        'electron/*',
        'node:*',
        'better-sqlite3',
        'react',
        'react-dom',
        'react-*',
      ],
      message: 'main/core is pure, IO-free code: no electron, node:*, database or React imports.',
    },
    {
      group: ['**/backend/**', '**/electron/**', '**/server/**', '**/cli/**', '**/renderer/**'],
      message: 'main/core may not depend on the main process or the renderer.',
    },
  ],
  paths: [
    'fs',
    'path',
    'os',
    'child_process',
    'worker_threads',
    'http',
    'https',
    'net',
    'crypto',
  ].map((name) => ({ name, message: 'main/core is IO-free: no Node built-ins.' })),
}

export default tseslint.config(
  {
    ignores: [
      '.tools/**',
      'out/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'test/e2e/browser/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { regexp },
    rules: {
      // ReDoS (issue 7): no regular expression whose run time can grow faster than its input. The
      // parser also caps every line before a regex runs (main/core/parse/limits.ts MAX_LINE_CHARS).
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }] },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: { 'no-restricted-imports': ['error', pureCoreBans] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+main/(?!core/)',
              message: 'The renderer may import only main/core (the pure contract and its types).',
            },
            {
              regex: '^(\\.\\./)+main/core/(?!api/|i18n/)',
              allowTypeImports: true,
              message:
                'Beyond the contract (main/core/api, main/core/i18n) the renderer imports types only: parsing and explaining run in the main process.',
            },
            {
              group: ['electron', 'node:*', 'better-sqlite3'],
              message: 'The renderer runs sandboxed.',
            },
          ],
        },
      ],
    },
  },
  // Security rules electronegativity cannot see (issue 7): the raw IPC objects live in the two
  // transport files, shell.openExternal in its one allow-listing wrapper, and no HTML is ever built
  // from strings (an NDR is attacker-controlled text).
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['ipcMain', 'ipcRenderer', 'shell'].map((name) => ({
          selector: `ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name='${name}']`,
          message: `${name} is used only in its wrapper (main/electron/ipc.ts, preload.ts, external.ts).`,
        })),
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message:
            'No raw HTML in React: bounces are untrusted. Render text, or use the sanitized viewer.',
        },
        {
          selector:
            'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'No innerHTML/outerHTML: bounces are untrusted.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/][callee.object.name=/^(document|el|element|node)$/]',
          message: 'No HTML string insertion: bounces are untrusted.',
        },
      ],
    },
  },
  {
    files: ['main/electron/ipc.ts', 'main/electron/preload.ts', 'main/electron/external.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
