// Builds dist/browser/: saml-core and its dependencies as plain ESM for browsers and Workers, which
// cannot load the CommonJS xml-crypto (nor resolve bare specifiers, for a page). package.json's
// exports conditions `browser`, `worker` and `workerd` point to dist/browser/index.js, so no user
// needs a polyfill or a bundler flag. Runs after `tsc` (npm run build).
//
// One entry point per public module, code split: index.js only re-exports, so an app bundler
// (wrangler, Vite...) keeps just what the app imports (`sideEffects: false`); a page importing
// index.js loads every chunk.
//
// One Node built-in is reached: xml-crypto's lib/utils.js requires `crypto` for PEM helpers that
// the canonicalizers never call; it is replaced by build/node-crypto-unavailable.cjs (see there).
// Any other Node built-in fails the build, as esbuild does for the browser platform.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'browser');
const cryptoShim = join(root, 'build', 'node-crypto-unavailable.cjs');
rmSync(outdir, { recursive: true, force: true });

/** Node's `crypto`, for xml-crypto's lib/utils.js only. */
const xmlCryptoUtilsCrypto = {
  name: 'xml-crypto-utils-crypto',
  setup(build) {
    build.onResolve({ filter: /^(node:)?crypto$/ }, (args) => {
      const importer = args.importer.split(sep).join('/');
      if (importer.endsWith('/node_modules/xml-crypto/lib/utils.js')) return { path: cryptoShim };
      return undefined; // anything else: esbuild's own error for a Node built-in
    });
  },
};

const result = await esbuild.build({
  entryPoints: ['index', 'validate', 'authn-request', 'replay-store', 'check-config', 'errors'].map((name) => join(root, 'dist', `${name}.js`)),
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
  plugins: [xmlCryptoUtilsCrypto],
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
console.log(`dist/browser/: ${packages.size} packages bundled (${relative(root, cryptoShim)} stands in for xml-crypto's "crypto")`);
