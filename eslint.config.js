// ESLint flat config: type-aware TypeScript, Lit and web-component rules, and the layer rules
// of docs/architecture.md (imports point downward only).
import js from '@eslint/js';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noServer = { group: ['**/server/**'], message: 'src/server is Node-only; nothing else may import it.' };

export default tseslint.config(
  // The example apps (examples/*/) are projects of their own, built and type-checked by their frameworks' tools;
  // the catalogues in src/portal/localize/generated/ and src/server/localize/generated/ are written by `npm run i18n`.
  { ignores: ['dist/', 'storybook-static/', 'node_modules/', 'custom-elements.json', '.data/', 'examples/*/', 'src/portal/localize/generated/', 'src/server/localize/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  litConfigs['flat/recommended'],
  wcConfigs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'examples/*.mjs', 'test/node/*.mjs', 'test/stories/*.mjs', '.storybook/*.ts'] }, tsconfigRootDir: import.meta.dirname },
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
            // But msg and str: core's texts an admin reads (errors, step names, guides) go through them (docs/i18n.md);
            // plain functions, no DOM, English wherever no catalogue is loaded.
            { regex: String.raw`^(lit($|/)|@lit/(?!localize/(init/install|internal/str-tag)\.js$))`, message: 'core is pure TypeScript: no Lit.' },
            { regex: String.raw`(^|/)(portal/(?!localize/msg\.js$)|adapters/)`, message: 'core is the bottom layer: it imports nothing above it.' },
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
