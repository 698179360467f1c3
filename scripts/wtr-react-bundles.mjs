// The React wrapper's browser tests, once per React version: `test/browser/react/react-<major>.test.tsx`
// is served as one esbuild bundle in which `react` and `react-dom` are the copies of
// `test/react-versions/react-<major>` (a package of its own, so that each react-dom meets its own
// react). React ships CommonJS only, so no import map could load it as it is; bundling also lets
// each test file have its own React, while the wrapper's source (src/react) imports plain `react`
// as a host's bundler would see it. The test harness (`@open-wc/testing`,
// `@web/test-runner-commands`) and Lit stay outside the bundle, served by the test runner as
// usual, so that the page has one Lit.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const TEST_FILE = /^\/test\/browser\/react\/react-(\d+)\.test\.tsx$/;

/** The folder of `name` as the React kit of `major` resolves it (its own, or the root's when npm hoisted the same version). */
function kitPackage(major, name) {
  const kit = createRequire(path.join(root, 'test', 'react-versions', `react-${major}`, 'package.json'));
  return path.dirname(kit.resolve(`${name}/package.json`));
}

/** A @web/test-runner plugin serving each React version's test file as its bundle. */
export function reactVersionBundles() {
  return {
    name: 'react-version-bundles',
    async serve(context) {
      const major = TEST_FILE.exec(context.path)?.[1];
      if (!major) return undefined;
      const result = await build({
        entryPoints: [path.join(root, context.path)],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        jsx: 'automatic',
        // Lit's and React's development builds, as in the other browser tests: their warnings catch mistakes.
        conditions: ['development'],
        define: { 'process.env.NODE_ENV': '"development"' },
        alias: { react: kitPackage(major, 'react'), 'react-dom': kitPackage(major, 'react-dom') },
        external: ['@open-wc/testing', '@web/test-runner-commands', 'lit', 'lit/*', '@lit/*'],
        tsconfig: path.join(root, 'tsconfig.json'),
        sourcemap: 'inline',
        logLevel: 'silent',
      });
      return { body: result.outputFiles[0].text, type: 'js' };
    },
  };
}
