// The React 19 example's app (../react-19), built with React 18: the same code runs on both.
import react from '@vitejs/plugin-react';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = createRequire(import.meta.url);
// This workspace's React (18), wherever npm put it; the app's own folder would find React 19.
const own = (name: string) => dirname(here.resolve(`${name}/package.json`));

export default defineConfig({
  root: fileURLToPath(new URL('../react-19', import.meta.url)),
  build: { outDir: fileURLToPath(new URL('dist', import.meta.url)), emptyOutDir: true },
  plugins: [react()],
  resolve: { alias: { react: own('react'), 'react-dom': own('react-dom') } },
});
