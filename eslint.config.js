// ESLint flat config: type-aware TypeScript, Lit and web-component rules, and the layer rules
// of docs/architecture.md (imports point downward only).
import js from '@eslint/js';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noServer = { group: ['**/server/**'], message: 'src/server is Node-only; nothing else may import it.' };

export default tseslint.config(
  { ignores: ['dist/', 'storybook-static/', 'node_modules/', 'custom-elements.json', '.data/', 'src/portal/localize/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  litConfigs['flat/recommended'],
  wcConfigs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'test/node/*.mjs', 'test/stories/*.mjs', '.storybook/*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Lit binds `@click=${this.method}` to the element.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*'], message: 'core is pure TypeScript: no Lit.' },
            // but for msg: the texts core holds (guides, messages) are read in the admin's language.
            { regex: '/(portal/(?!localize/msg\\.js$)|adapters/)', message: 'core is the bottom layer: it imports nothing above it but msg.' },
            noServer,
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'customElements', 'HTMLElement', 'localStorage', 'sessionStorage'],
    },
  },
  {
    files: ['src/adapters/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*'], message: 'adapters carry no UI.' },
            { group: ['**/portal/**'], message: 'adapters sit below the portal.' },
            noServer,
          ],
        },
      ],
    },
  },
  {
    // sso-admin-portal/admin: the host backend's SDK (Node, Deno, Workers): core only, no UI, no Node.
    files: ['src/admin/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*'], message: 'the admin SDK carries no UI.' },
            { group: ['**/portal/**', '**/adapters/**'], message: 'the admin SDK imports core only (the browser adapters are not for servers).' },
            { group: ['node:*'], message: 'the admin SDK runs on the edge too: standard fetch and WebCrypto, no Node modules.' },
            noServer,
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'customElements', 'HTMLElement', 'localStorage', 'sessionStorage', 'Buffer', 'process'],
    },
  },
  {
    files: ['src/portal/**', 'src/index.ts', 'stories/**', 'dev/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noServer] }] },
  },
  {
    files: ['test/**'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // chai-dom's `equal` is typed as a Promise.
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // chai's `expect(x).to.exist` is an expression; tests feed malformed input on purpose.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['scripts/**', 'test/node/**', 'test/stories/**', '*.config.js', '*.config.ts', '*.config.mjs', '.storybook/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
