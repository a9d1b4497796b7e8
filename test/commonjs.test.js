// saml-core from CommonJS: `require('saml-core')` (package.json exports `default`, loaded by
// Node's require(esm), Node >= 20.19 / 22.12), and a TypeScript `module: node16` CommonJS project
// that imports it (types from dist/*.d.cts, the `require` branch of the "types" condition; its
// compiled require() is then run). Each project is a temp dir whose node_modules/saml-core links to
// this repository, resolved by package name as an installed package is.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as esm from '../dist/index.js';
import { ROOT } from './vector-files.js';

const [major, minor] = process.versions.node.split('.').map(Number);
// require(esm) without a flag: Node 20.19+, 22.12+, 23+.
const REQUIRE_ESM = major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
const CERTIFICATE = JSON.stringify(readFileSync(join(ROOT, 'vectors', 'keys', 'okta.crt.pem'), 'utf8'));

// A CommonJS consumer: the exports it sees, an AuthnRequest, and a SamlError it can catch.
const CONSUMER = `
const saml = require('saml-core');
const config = {
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs' },
  idp: { ssoUrl: 'https://idp.example.com/sso', certificates: [${CERTIFICATE}] },
};
(async () => {
  const request = await saml.createAuthnRequest(config, { relayState: 'k1' });
  let code = null;
  try { await saml.validateResponse(config, 'SAMLResponse=%%%'); } catch (error) { code = error instanceof saml.SamlError ? error.code : String(error); }
  console.log(JSON.stringify({ resolved: require.resolve('saml-core'), exports: Object.keys(saml).sort(), redirect: request.redirectUrl.split('?')[0], code }));
})();
`;

function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'saml-core-cjs-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'saml-core'), 'dir');
  // No "type": the project's .js files are CommonJS.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-consumer', private: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const node = (dir, file) => execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function expectedRun(out, resolved = true) {
  const result = JSON.parse(out);
  if (resolved) assert.is(result.resolved, join(ROOT, 'dist', 'index.js'));
  assert.equal(result.exports, Object.keys(esm).sort());
  assert.is(result.redirect, 'https://idp.example.com/sso');
  assert.is(result.code, 'INVALID_INPUT'); // bad base64: a SamlError, caught by instanceof
}

test(`require('saml-core') from a CommonJS project (Node ${process.versions.node})`, () => {
  const dir = project({ 'main.js': CONSUMER });
  try {
    if (REQUIRE_ESM) {
      expectedRun(node(dir, 'main.js'));
    } else {
      // Older Node has no require(esm): the documented failure, not another one.
      assert.throws(() => node(dir, 'main.js'), (error) => /ERR_REQUIRE_ESM/.test(error.stderr));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The TypeScript project, compiled while the other test files run (tsc takes seconds).
const source = `import * as saml from 'saml-core';
import { createAuthnRequest, validateResponse, SamlError, type SamlConfig, type SamlAssertion } from 'saml-core';

const config: SamlConfig = {
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs' },
  idp: { ssoUrl: 'https://idp.example.com/sso', certificates: [${CERTIFICATE}] },
};
const validate: (config: SamlConfig, body: string) => Promise<SamlAssertion> = validateResponse;

async function main(): Promise<void> {
  const request = await createAuthnRequest(config, { relayState: 'k1' });
  const url: string = request.redirectUrl;
  let code: string | null = null;
  try {
    await validate(config, 'SAMLResponse=%%%');
  } catch (error) {
    code = error instanceof SamlError ? error.code : String(error);
  }
  // esModuleInterop (on under node16) wraps the require()d namespace and adds its \`default\`.
  const exports = Object.keys(saml).filter((key) => key !== 'default').sort();
  console.log(JSON.stringify({ exports, redirect: url.split('?')[0], code }));
}
void main();
`;
const tsDir = project({
  'main.ts': source,
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false, outDir: 'out' },
    files: ['main.ts'],
  }),
});
const compiling = promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsDir], { cwd: tsDir, encoding: 'utf8' });
compiling.catch(() => {}); // awaited (and reported) by the test

test('a TypeScript module: node16 CommonJS project type-checks the import, compiles it to require() and runs', async () => {
  const dir = tsDir;
  try {
    await compiling;
    const compiled = readFileSync(join(dir, 'out', 'main.js'), 'utf8');
    assert.match(compiled, 'require("saml-core")'); // CommonJS output: the import became require()
    if (REQUIRE_ESM) expectedRun(node(dir, join('out', 'main.js')), false);
  } catch (error) {
    throw new Error(`${error.message}\n${error.stdout ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CommonJS declarations are the ESM ones with .cjs paths', () => {
  for (const name of ['index', 'saml/validate', 'saml/authn-request', 'saml/replay-store', 'errors', 'types']) {
    const esmTypes = readFileSync(join(ROOT, 'dist', `${name}.d.ts`), 'utf8');
    const cjsTypes = readFileSync(join(ROOT, 'dist', `${name}.d.cts`), 'utf8');
    assert.is(cjsTypes, esmTypes.replace(/(['"])(\.\.?\/[\w./-]+)\.js\1/g, '$1$2.cjs$1'), name);
  }
});

test.run();
