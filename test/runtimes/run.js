// npm run test:runtimes: the published package (npm pack) in Node 20 (this Node), Node 22, Deno,
// Bun, workerd and Chromium. In each runtime:
//   - every vector of vectors/ is replayed (replay.js, the shared vector runner) and each outcome
//     (verdict, error code and message, or the returned values) must equal Node 20's;
//   - createAuthnRequest for the redirect and the post binding, checked here and compared;
//   - the metadata functions on one IdP metadata document and the SP metadata, checked and compared;
//   - the README's "Use it in ..." example for that runtime (examples/runtimes/) is run as it is and
//     sent a freshly signed login (accepted) and a tampered copy (rejected).
// One line per runtime, `<name> <version>: N passed, M failed`, then the total. A runtime that cannot
// be installed or started fails the run. The runtimes are the devDependencies of
// test/runtimes/package.json (installed here on first use) and Debian's chromium.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { TEST_IDPS, buildResponse, signResponse } from '../../dist/node/test-idp.js';
import { readVectors } from '../vector-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = join(root, 'test', 'runtimes');
const work = join(here, '.work');
const bin = (name) => join(here, 'node_modules', '.bin', name);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_TIMEOUT_MS = 120_000;
const children = new Set();

function log(message) {
  process.stderr.write(`${message}\n`);
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: STEP_TIMEOUT_MS, ...options });
}

// ---------------------------------------------------------------------------------------------
// Setup: the runtimes, the packed package, the harness and its data
// ---------------------------------------------------------------------------------------------

/** npm ci in test/runtimes when its node_modules is missing or older than its lockfile. */
function installRuntimes() {
  const installed = join(here, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(here, 'package-lock.json')).mtimeMs) return;
  log('installing the runtimes (npm ci in test/runtimes)...');
  try {
    run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  } catch (error) {
    throw new Error(`could not install the runtimes of test/runtimes/package.json: ${error.message}`);
  }
}

/** npm pack, then install the tarball (with its dependencies, as a user would) into .work/. */
function stagePackage() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'harness'), { recursive: true });
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root }).trim().split('\n').pop();
  writeFileSync(join(work, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], { cwd: work });
  // The README's examples, as they are, beside the installed package.
  cpSync(join(root, 'examples', 'runtimes'), work, { recursive: true });
  for (const file of ['replay.js', 'cli.js', 'replay-worker.js', 'replay.html']) cpSync(join(here, file), join(work, 'harness', file));
  cpSync(join(root, 'test', 'vector-replay.js'), join(work, 'harness', 'vector-replay.js'));
}

/** A login signed now by the Okta-shaped test IdP (the examples' config), and a tampered copy. */
function freshLogins() {
  const keys = join(root, 'vectors', 'keys');
  const xml = buildResponse({ shape: 'okta', now: new Date(), nameId: 'jane.doe@example.com' });
  const signed = signResponse(xml, {
    privateKeyPem: readFileSync(join(keys, 'okta.key.pem'), 'utf8'),
    certificatePem: readFileSync(join(keys, 'okta.crt.pem'), 'utf8'),
  });
  const tampered = signed.replace('jane.doe@example.com', 'admin@example.com');
  if (tampered === signed) throw new Error('could not tamper with the fresh login');
  const base64 = (text) => Buffer.from(text, 'utf8').toString('base64');
  return { valid: base64(signed), tampered: base64(tampered) };
}

async function freePort() {
  const server = createNetServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Driving the runtimes
// ---------------------------------------------------------------------------------------------

/** Runs a command to its end; resolves to its stdout, rejects with its stderr. */
function runToEnd(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('error', (error) => { clearTimeout(timer); children.delete(child); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} exited with ${code ?? signal}: ${stderr.trim().slice(-2000)}`));
    });
  });
}

/** Starts a server process; resolves once `url` answers, to a handle with stop(). */
async function startServer(command, args, url, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = code ?? signal; });
  child.on('error', (error) => { exited = error.message; });
  const stop = () => new Promise((resolve) => {
    if (exited !== null) { children.delete(child); resolve(); return; }
    child.on('exit', () => { children.delete(child); resolve(); });
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${command} ${args.join(' ')} exited (${exited}) before serving: ${output.trim().slice(-2000)}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { stop, output: () => output };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error(`${command} did not serve ${url} within ${STEP_TIMEOUT_MS / 1000} s: ${output.trim().slice(-2000)}`);
}

/** POSTs the fresh login and the tampered copy to an ACS example; returns the two checks. */
async function checkAcs(url, logins) {
  const post = async (saml) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: saml }).toString(),
    });
    return { status: response.status, text: await response.text() };
  };
  return acsChecks(await post(logins.valid), await post(logins.tampered));
}

function acsChecks(valid, tampered) {
  return [
    {
      name: 'example accepts a fresh login',
      problem: valid.status === 200 && valid.text === 'signed in as jane.doe@example.com' ? null : `got ${valid.status} ${valid.text}`,
    },
    {
      name: 'example rejects a tampered login',
      problem: tampered.status === 403 && tampered.text.startsWith('SIGNATURE_INVALID: ') ? null : `got ${tampered.status} ${tampered.text}`,
    },
  ];
}

/** Node, Deno or Bun: the replay CLI, and the example run as a server. */
async function cliRuntime({ command, replayArgs, exampleArgs, env = {} }, logins) {
  const options = { cwd: work, env: { ...process.env, ...env } };
  const replay = JSON.parse(await runToEnd(command, [...replayArgs, join(work, 'harness', 'cli.js')], options));
  const port = await freePort();
  const server = await startServer(command, [...exampleArgs.slice(0, -1), join(work, exampleArgs.at(-1))], `http://127.0.0.1:${port}/`, {
    ...options,
    env: { ...options.env, PORT: String(port) },
  });
  try {
    return { replay, examples: await checkAcs(`http://127.0.0.1:${port}/saml/acs`, logins) };
  } finally {
    await server.stop();
  }
}

/** Bundles a Worker the way wrangler does (esbuild, conditions workerd/worker/browser). */
async function bundleWorker(entry, outfile) {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    logLevel: 'error',
  });
}

async function workerdRuntime(vectors, logins) {
  const dir = join(work, 'workerd');
  await bundleWorker(join(work, 'harness', 'replay-worker.js'), join(dir, 'replay.js'));
  await bundleWorker(join(work, 'worker.js'), join(dir, 'acs.js'));
  const [replayPort, acsPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "replay", worker = (modules = [(name = "replay.js", esModule = embed "replay.js")], compatibilityDate = "2026-10-01")),
    (name = "acs", worker = (modules = [(name = "acs.js", esModule = embed "acs.js")], compatibilityDate = "2026-10-01")),
  ],
  sockets = [
    (name = "replay", address = "127.0.0.1:${replayPort}", http = (), service = "replay"),
    (name = "acs", address = "127.0.0.1:${acsPort}", http = (), service = "acs"),
  ],
);
`);
  const server = await startServer(bin('workerd'), ['serve', join(dir, 'config.capnp')], `http://127.0.0.1:${acsPort}/`, { cwd: dir });
  try {
    const response = await fetch(`http://127.0.0.1:${replayPort}/`, { method: 'POST', body: JSON.stringify(vectors) });
    if (!response.ok) throw new Error(`the replay Worker answered ${response.status}: ${(await response.text()).slice(0, 2000)} ${server.output().slice(-2000)}`);
    const replay = await response.json();
    return { replay, examples: await checkAcs(`http://127.0.0.1:${acsPort}/saml/acs`, logins) };
  } finally {
    await server.stop();
  }
}

/** Serves .work/ to the browser (the harness page, the example page and the installed package). */
async function staticServer() {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const path = join(work, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(work) || !existsSync(path) || !statSync(path).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

let chromiumVersion = null;

async function chromiumRuntime(vectors, logins) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const { chromium } = await import(join(here, 'node_modules', 'playwright-core', 'index.mjs'));
  const server = await staticServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: STEP_TIMEOUT_MS });
  try {
    chromiumVersion = browser.version();
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${server.origin}/harness/replay.html`);
    await page.waitForFunction(() => window.replayReady === true, null, { timeout: STEP_TIMEOUT_MS }).catch(() => {
      throw new Error(`the replay page did not load: ${pageErrors.join('; ')}`);
    });
    const replay = await page.evaluate((data) => window.replay(data), vectors);

    const example = await browser.newPage();
    example.on('pageerror', (error) => pageErrors.push(String(error)));
    await example.goto(`${server.origin}/browser.html`);
    const check = async (saml) => {
      await example.fill('#response', saml);
      await example.evaluate(() => { document.querySelector('#result').textContent = ''; });
      await example.click('#check');
      await example.waitForFunction(() => document.querySelector('#result').textContent !== '', null, { timeout: STEP_TIMEOUT_MS });
      const text = await example.textContent('#result');
      return { status: text.startsWith('signed in as ') ? 200 : text.startsWith('error: ') ? 500 : 403, text };
    };
    const examples = acsChecks(await check(logins.valid), await check(logins.tampered));
    if (pageErrors.length) examples.push({ name: 'no page errors', problem: pageErrors.join('; ') });
    return { replay, examples };
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

/** createAuthnRequest's output, checked on its own terms; returns the two checks. */
function authnChecks(authnRequests) {
  const expectXml = (result) => {
    const problems = [];
    if (typeof result?.id !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(result.id)) return [`no usable id (${JSON.stringify(result).slice(0, 300)})`];
    for (const part of [
      `ID="${result.id}"`,
      'IssueInstant="2026-11-22T10:00:00.000Z"',
      'Destination="https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml?x=1"',
      'AssertionConsumerServiceURL="https://app.example.com/saml/acs"',
      'ForceAuthn="true"',
      '>https://app.example.com/saml/metadata</saml:Issuer>',
    ]) if (!result.xml.includes(part)) problems.push(`the XML lacks ${part}`);
    return problems;
  };
  const checks = [];
  const redirect = authnRequests.redirect;
  let problems = expectXml(redirect);
  if (!problems.length) {
    const url = new URL(redirect.redirectUrl);
    if (`${url.origin}${url.pathname}` !== 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml') problems.push(`redirect to ${url.origin}${url.pathname}`);
    if (url.searchParams.get('x') !== '1') problems.push('the SSO URL\'s own query was lost');
    if (url.searchParams.get('RelayState') !== '/dashboard') problems.push(`RelayState ${url.searchParams.get('RelayState')}`);
    const inflated = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    if (inflated !== redirect.xml) problems.push('SAMLRequest does not inflate to the returned XML');
    if (redirect.form !== undefined) problems.push('a form for the redirect binding');
  }
  checks.push({ name: 'createAuthnRequest redirect binding', problem: problems.join('; ') || null });
  const post = authnRequests.post;
  problems = expectXml(post);
  if (!problems.length) {
    if (post.form?.action !== 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml?x=1') problems.push(`form action ${post.form?.action}`);
    if (Buffer.from(post.form?.fields?.SAMLRequest ?? '', 'base64').toString('utf8') !== post.xml) problems.push('SAMLRequest is not the XML in base64');
    if (post.form?.fields?.RelayState !== '/dashboard') problems.push(`RelayState ${post.form?.fields?.RelayState}`);
    if (!post.form?.html?.includes(post.form?.fields?.SAMLRequest)) problems.push('the HTML form lacks the SAMLRequest');
    if (post.redirectUrl !== undefined) problems.push('a redirect URL for the post binding');
  }
  checks.push({ name: 'createAuthnRequest post binding', problem: problems.join('; ') || null });
  return checks;
}

/** The AuthnRequest output with its random ID replaced, for comparing runtimes. */
function comparableAuthn(authnRequests) {
  const out = {};
  for (const [binding, result] of Object.entries(authnRequests)) {
    if (typeof result?.id !== 'string') { out[binding] = result; continue; }
    const text = JSON.stringify(result).split(result.id).join('{ID}');
    // The deflated and base64 forms carry the ID too: compare them decoded.
    const value = JSON.parse(text);
    if (value.redirectUrl) value.redirectUrl = new URL(value.redirectUrl).searchParams.get('RelayState');
    if (value.form) value.form = { action: value.form.action, RelayState: value.form.fields.RelayState };
    out[binding] = value;
  }
  return JSON.stringify(out);
}

/** The checks of one runtime: each vector (passing and equal to the reference), authn, examples. */
function checksOf(result, reference, isReference) {
  const checks = [];
  if (!isReference && !reference) return [{ name: 'comparison', problem: 'node 20, the reference, did not run' }];
  const referenceByName = new Map((reference?.replay.vectors ?? []).map((v) => [v.name, v]));
  for (const vector of result.replay.vectors) {
    let problem = vector.ok ? null : vector.problem;
    const ref = referenceByName.get(vector.name);
    if (!problem && reference && !ref) problem = 'not replayed in node 20';
    if (!problem && ref && JSON.stringify(vector.outcome) !== JSON.stringify(ref.outcome)) {
      problem = `differs from node 20: ${JSON.stringify(vector.outcome).slice(0, 600)} vs ${JSON.stringify(ref.outcome).slice(0, 600)}`;
    }
    checks.push({ name: `vector ${vector.name}`, problem });
  }
  for (const check of authnChecks(result.replay.authnRequests)) {
    if (!check.problem && reference && comparableAuthn(result.replay.authnRequests) !== comparableAuthn(reference.replay.authnRequests)) {
      check.problem = 'createAuthnRequest output differs from node 20';
    }
    checks.push(check);
  }
  checks.push(metadataCheck(result.replay.metadata, reference?.replay.metadata));
  checks.push(inspectCheck(result.replay.inspect, reference?.replay.inspect));
  checks.push(...result.examples);
  return checks;
}

/** The metadata functions' output, checked on its own terms and compared with node 20's. */
function metadataCheck(metadata, reference) {
  const problems = [];
  if (metadata?.error) problems.push(metadata.error);
  else {
    const { metadata: md, idpConfig, spMetadata } = metadata ?? {};
    if (md?.entityId !== 'http://www.okta.com/exk1fxg2ykKOIqGfd5d7') problems.push(`entityId ${md?.entityId}`);
    if (md?.sso?.post !== 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml?x=1' || md?.sso?.redirect !== undefined) problems.push(`sso ${JSON.stringify(md?.sso)}`);
    if (md?.validUntil !== '2030-01-01T00:00:00.000Z' || md?.signed !== false) problems.push(`validUntil ${md?.validUntil}, signed ${md?.signed}`);
    if (md?.signingCertificates?.length !== 1 || md.signingCertificates[0] !== metadata.fromDer || !metadata.sameAsPem) problems.push('the certificate read differs from normalizeCertificate of its DER');
    if (idpConfig?.ssoUrl !== md?.sso?.post) problems.push(`idpConfigFromMetadata ssoUrl ${idpConfig?.ssoUrl}`);
    if (metadata.expired !== 'METADATA_EXPIRED') problems.push(`past validUntil: ${metadata.expired}`);
    if (!spMetadata?.includes('Location="https://app.example.com/saml/acs"') || !spMetadata.includes('entityID="https://app.example.com/saml/metadata"')) problems.push('createSpMetadata lacks the ACS URL or entity ID');
    if (!problems.length && reference && JSON.stringify(metadata) !== JSON.stringify(reference)) problems.push('differs from node 20');
  }
  return { name: 'metadata: parseIdpMetadata, idpConfigFromMetadata, normalizeCertificate, createSpMetadata', problem: problems.join('; ') || null };
}

/** inspectResponse: agrees with validateResponse on every vector, and its traces are node 20's. */
function inspectCheck(inspect, reference) {
  const problems = [];
  if (!inspect) problems.push('not run');
  else {
    if (inspect.disagreements.length) problems.push(`first failure differs from validateResponse: ${inspect.disagreements.slice(0, 5).join('; ')}`);
    const differing = reference ? Object.keys(inspect.traces).filter((name) => inspect.traces[name] !== reference.traces[name]) : [];
    if (differing.length) problems.push(`traces differ from node 20: ${differing.slice(0, 5).join(', ')}`);
  }
  return { name: 'inspectResponse: the first failure is validateResponse\'s error on every vector', problem: problems.join('; ') || null };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  installRuntimes();
  stagePackage();
  const vectors = readVectors(join(root, 'vectors')).map(({ vector }) => vector);
  writeFileSync(join(work, 'harness', 'vectors.js'), `export default ${JSON.stringify(vectors)};\n`);
  const logins = freshLogins();
  // Each runtime's number of checks: the vectors, two AuthnRequests, the metadata, inspectResponse, two example requests.
  const expectedChecks = vectors.length + 6;

  const version = (command, args, pattern) => {
    try {
      return pattern.exec(run(command, args))?.[1] ?? '?';
    } catch {
      return 'unavailable';
    }
  };
  const runtimes = [
    {
      name: 'node',
      version: () => process.versions.node,
      run: () => cliRuntime({ command: process.execPath, replayArgs: [], exampleArgs: ['node.js'] }, logins),
    },
    {
      name: 'node',
      version: () => version(bin('node'), ['--version'], /v(\S+)/),
      run: () => cliRuntime({ command: bin('node'), replayArgs: [], exampleArgs: ['node.js'] }, logins),
    },
    {
      name: 'deno',
      version: () => version(bin('deno'), ['--version'], /deno (\S+)/),
      run: () => cliRuntime({
        command: bin('deno'),
        replayArgs: ['run', '--no-prompt'],
        exampleArgs: ['run', '--no-prompt', '--allow-net', '--allow-env=PORT', 'deno.js'],
        env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      }, logins),
    },
    {
      name: 'bun',
      version: () => version(bin('bun'), ['--version'], /(\S+)/),
      run: () => cliRuntime({ command: bin('bun'), replayArgs: [], exampleArgs: ['bun.js'] }, logins),
    },
    {
      name: 'workerd',
      version: () => version(bin('workerd'), ['--version'], /workerd (\S+)/),
      run: () => workerdRuntime(vectors, logins),
    },
    {
      name: 'chromium',
      version: () => chromiumVersion ?? version(CHROMIUM, ['--version'], /Chromium (\S+)/),
      run: () => chromiumRuntime(vectors, logins),
    },
  ];

  let reference = null;
  let passed = 0;
  let failed = 0;
  for (const runtime of runtimes) {
    let checks;
    try {
      const result = await runtime.run();
      const isReference = runtime === runtimes[0];
      checks = checksOf(result, reference, isReference);
      if (isReference) reference = result;
    } catch (error) {
      log(`${runtime.name}: could not run: ${error.message}`);
      checks = Array.from({ length: expectedChecks }, () => ({ name: 'runtime', problem: 'not run' }));
    }
    if (checks.length !== expectedChecks) checks.push({ name: 'check count', problem: `${checks.length} checks, expected ${expectedChecks}` });
    const bad = checks.filter((check) => check.problem);
    const shown = bad.filter((check) => check.problem !== 'not run');
    for (const check of shown.slice(0, 20)) log(`  ${runtime.name}: ${check.name}: ${check.problem}`);
    if (shown.length > 20) log(`  ${runtime.name}: ... ${shown.length - 20} more failures`);
    console.log(`${runtime.name} ${runtime.version()}: ${checks.length - bad.length} passed, ${bad.length} failed`);
    passed += checks.length - bad.length;
    failed += bad.length;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  log(`test:runtimes: ${error.stack ?? error}`);
  console.log('0 passed, 1 failed');
} finally {
  for (const child of children) child.kill('SIGKILL');
}
process.exit(code);
