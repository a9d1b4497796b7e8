// Builds dist/browser/: saml-core and its dependencies as plain ESM for browsers and Workers, which
// cannot load CommonJS dependencies (@xmldom/xmldom) nor, for a page, resolve bare specifiers. package.json's
// exports conditions `browser`, `worker` and `workerd` point to dist/browser/index.js, so no user
// needs a polyfill or a bundler flag. Runs after `tsc` (npm run build).
//
// One entry point per public module, code split: index.js only re-exports, so an app bundler
// (wrangler, Vite...) keeps just what the app imports (`sideEffects: false`); a page importing
// index.js loads every chunk.
//
// No Node built-in may be reached: esbuild fails the build for one on the browser platform.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'browser');
rmSync(outdir, { recursive: true, force: true });

const result = await esbuild.build({
  entryPoints: ['index', 'saml/validate', 'saml/authn-request', 'saml/sp-metadata', 'saml/replay-store', 'saml/metadata', 'check-config', 'pem', 'errors'].map((name) => join(root, 'dist', `${name}.js`)),
  outbase: join(root, 'dist'),
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

// Types: the same API as the Node build.
writeFileSync(join(outdir, 'index.d.ts'), "export * from '../index.js';\n");

// The bundle carries other packages' code: ship their licenses beside it.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (match) packages.set(match[2], join(root, match[1]));
}
const notices = ['saml-core (MIT) bundles these packages into dist/browser/:\n'];
for (const [name, dir] of [...packages].sort()) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const license = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license'].map((f) => join(dir, f)).find(existsSync);
  notices.push(`\n== ${name}@${pkg.version} (${pkg.license})\n\n${license ? readFileSync(license, 'utf8').trim() : `(no license file; ${pkg.license})`}\n`);
}
writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), notices.join(''));
console.log(`dist/browser/: ${packages.size} packages bundled`);
