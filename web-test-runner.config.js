// Browser tests in real Chromium (Debian's, or CHROME_PATH).
import rollupCommonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';
import { reactVersionBundles } from './scripts/wtr-react-bundles.mjs';

// @xmldom/xmldom ships CommonJS only; bundlers (Vite, Storybook) convert it, the test server
// needs this plugin to do the same.
const commonjs = fromRollup(rollupCommonjs);

export default {
  files: ['test/browser/**/*.test.ts', 'test/browser/react/*.test.tsx'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  concurrency: 2,
  testFramework: { config: { timeout: 5000 } },
  // With `--coverage` (npm test passes it): V8 coverage of the source, printed as a short summary.
  coverageConfig: { include: ['src/**/*.ts'], reporters: ['text-summary'], reportDir: 'coverage/browser' },
  // The tests load Lit's development build on purpose (its warnings catch mistakes); its notice
  // that it is in dev mode says nothing about a test.
  filterBrowserLogs: ({ args }) => !(typeof args[0] === 'string' && args[0].startsWith('Lit is in dev mode')),
  plugins: [
    reactVersionBundles(),
    commonjs({ include: ['**/node_modules/@xmldom/xmldom/**'], strictRequires: false }),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: chromiumPath, headless: true, args: chromiumArgs },
    }),
  ],
};
