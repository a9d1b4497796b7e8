// npm run size: the minified + gzipped size of what a browser or a Worker loads for validateResponse.
//   - app bundle: `export { validateResponse } from 'saml-core'` bundled and minified with esbuild
//     under the conditions wrangler uses (workerd, worker, browser), so tree-shaken to what it uses;
//   - page: dist/browser/index.js and the chunks it imports, as a page loads them through an import
//     map (the whole API; each file gzipped on its own, as served).
// Fails when either is over the budget.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const BUDGET_BYTES = 150 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));

const result = await esbuild.build({
  stdin: { contents: "export { validateResponse } from 'saml-core';", resolveDir: root, sourcefile: 'app.js' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'error',
});
const inputs = Object.keys(result.metafile.inputs);
if (!inputs.some((input) => input.endsWith('dist/browser/index.js'))) throw new Error(`saml-core did not resolve to dist/browser/index.js: ${inputs.join(', ')}`);

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
const browserDir = new URL('../dist/browser/', import.meta.url);
const pageFiles = readdirSync(browserDir, { recursive: true }).filter((file) => file.endsWith('.js')).map((file) => readFileSync(new URL(file, browserDir)));
const sizes = [
  ['app bundle, validateResponse only', result.outputFiles[0].contents.length, gzipped(result.outputFiles[0].contents)],
  [`page, dist/browser/ (${pageFiles.length} files)`, pageFiles.reduce((sum, file) => sum + file.length, 0), pageFiles.reduce((sum, file) => sum + gzipped(file), 0)],
];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let over = false;
for (const [what, minified, zipped] of sizes) {
  over ||= zipped > BUDGET_BYTES;
  console.log(`${what}: ${kb(minified)} minified, ${kb(zipped)} gzipped (budget ${kb(BUDGET_BYTES)})`);
}
if (over) {
  console.error('over the size budget');
  process.exit(1);
}
