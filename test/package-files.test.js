// What `npm pack` ships, against the list below: shipping a new file (or dropping one) is a
// conscious change of this list. The browser build's chunk names carry a content hash, so they are
// compared as a count. Source maps ship with the TypeScript source inside (tsconfig inlineSources:
// sourcesContent), since src/ is not packed: a stack trace or debugger in an app then shows the
// source a reviewer reads, at about 30 KB of tarball; the repository's coverage (c8) reads them too.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './vector-files.js';

const DECLARATIONS_AND_CJS = ['saml/authn-request', 'saml/sp-metadata', 'check-config', 'errors', 'index', 'saml/metadata', 'pem', 'saml/replay-store', 'types', 'saml/validate'];
const INTERNAL = ['base64', 'cache', 'xml/canonicalize', 'certificates', 'config', 'crypto-backend', 'saml/datetime', 'saml/decode', 'xml/dom', 'saml/email', 'xml/parse', 'saml/profile', 'saml/response-checks', 'xml/dsig', 'xml/write', 'saml/options', 'private-keys', 'xml/xmlenc', 'saml/trace', 'saml/summary'];
// The saml-core command line (package.json "bin"; Node-only, tsconfig.cli.json): JavaScript and
// source maps, no declarations (nothing imports it).
const CLI = ['check', 'config-file', 'conformance', 'decode', 'input', 'instant', 'io', 'main', 'metadata', 'render', 'saml-request', 'usage', 'vector-file', 'xml-pretty'];
const EXPECTED = [
  'LICENSE',
  'README.md',
  'package.json',
  ...DECLARATIONS_AND_CJS.flatMap((name) => [`dist/${name}.js`, `dist/${name}.js.map`, `dist/${name}.d.ts`, `dist/${name}.d.cts`]),
  ...INTERNAL.flatMap((name) => [`dist/${name}.js`, `dist/${name}.js.map`, `dist/${name}.d.ts`]),
  'dist/node/crypto-backend.js',
  'dist/node/crypto-backend.js.map',
  'dist/node/crypto-backend.d.ts',
  'dist/node/redis-replay-store.js',
  'dist/node/redis-replay-store.js.map',
  'dist/node/redis-replay-store.d.ts',
  ...CLI.flatMap((name) => [`dist/node/cli/${name}.js`, `dist/node/cli/${name}.js.map`]),
  'dist/browser/index.js',
  'dist/browser/index.d.ts',
  'dist/browser/saml/validate.js',
  'dist/browser/saml/authn-request.js',
  'dist/browser/saml/sp-metadata.js',
  'dist/browser/saml/replay-store.js',
  'dist/browser/saml/metadata.js',
  'dist/browser/pem.js',
  'dist/browser/check-config.js',
  'dist/browser/errors.js',
  'dist/browser/THIRD-PARTY-LICENSES.txt',
  ...Array.from({ length: 13 }, () => 'dist/browser/chunks/chunk-[hash].js'),
].sort();

// npm pack starts when this file loads and runs while the other test files do.
const packing = promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
packing.catch(() => {}); // awaited (and reported) in before()
let files;
test.before(async () => {
  files = JSON.parse((await packing).stdout)[0].files.map((file) => file.path);
});

test('npm pack ships exactly the expected files', () => {
  assert.equal(files.map((path) => path.replace(/^dist\/browser\/chunks\/chunk-[A-Z0-9]+\.js$/, 'dist/browser/chunks/chunk-[hash].js')).sort(), EXPECTED);
});

test('every shipped source map carries its TypeScript source, and every map a shipped file points at ships', () => {
  const maps = files.filter((path) => path.endsWith('.map'));
  assert.ok(maps.length >= 17, `${maps.length} maps`);
  for (const path of maps) {
    const map = JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
    assert.is(map.sources.length, 1, path);
    // The source beside the map in the repository (src/ is not packed): the very text, embedded.
    const source = join(ROOT, path, '..', map.sourceRoot ?? '', map.sources[0]);
    assert.is(map.sourcesContent?.[0], readFileSync(source, 'utf8'), `${path}: sourcesContent`);
  }
  for (const path of files.filter((p) => p.endsWith('.js'))) {
    const link = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(ROOT, path), 'utf8'));
    if (link) assert.ok(files.includes(join(path, '..', link[1])), `${path} points at ${link[1]}, not shipped`);
  }
});

test('the MIT LICENSE ships, and package.json says MIT', () => {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert.ok(license.startsWith('MIT License\n\nCopyright (c) 2026 saml-core contributors\n'), license.slice(0, 80));
  assert.is(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).license, 'MIT');
});

test('the test IdP (Node-only test code with key generation) is not shipped', () => {
  assert.equal(files.filter((path) => path.includes('test-idp')), []);
});

test('every file package.json exports, imports or names as a bin is shipped', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const targets = [];
  const walk = (value) => (typeof value === 'string' ? targets.push(value.replace(/^\.\//, '')) : Object.values(value).forEach(walk));
  walk(pkg.exports);
  walk(pkg.imports);
  walk(pkg.bin);
  targets.push(pkg.main.replace(/^\.\//, ''), pkg.types.replace(/^\.\//, ''));
  assert.equal(targets.filter((path) => path !== 'package.json' && !files.includes(path)), []);
});

test.run();
