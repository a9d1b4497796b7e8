// The saml-core command line, run as a user runs it once installed: the package is packed (npm
// pack), unpacked into a temporary node_modules/saml-core, and its package.json "bin" is executed
// with this Node as a child process. The unpacked package's dependencies are symlinks to the
// project's own node_modules entries, one per name in its package.json "dependencies" (nothing
// else is linked), so the bin reaches exactly the packages an install would give it: a dependency
// missing from package.json fails here, as it would for a user. Each run is judged by its exit
// code, stdout and stderr only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAuthnRequest } from '../dist/index.js';
import { CLASS_OF_CODE as CLI_CLASS_OF_CODE } from '../dist/node/cli/vector-file.js';
import { colorEnabled } from '../dist/node/cli/render.js';
import { OWN_VECTORS, ROOT, jsonFiles, readVectors, realVectors } from './vector-files.js';
import { CLASS_OF_CODE, runVector } from './vector-runner.js';

const WORK = mkdtempSync(join(tmpdir(), 'saml-core-cli-'));
const INSTALLED = join(WORK, 'node_modules', 'saml-core');
let BIN;

function install() {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', WORK], { cwd: ROOT, encoding: 'utf8' }))[0];
  mkdirSync(INSTALLED, { recursive: true });
  execFileSync('tar', ['-xzf', join(WORK, packed.filename), '-C', INSTALLED, '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));
  for (const name of Object.keys(pkg.dependencies)) {
    const link = join(WORK, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
  }
  BIN = join(INSTALLED, pkg.bin['saml-core']);
  return { pkg, packed };
}

/** Runs the installed bin in WORK; { code, stdout, stderr }. NO_COLOR and FORCE_COLOR are cleared unless given. */
function run(args, { input, env = {} } = {}) {
  const baseEnv = { ...process.env };
  delete baseEnv.NO_COLOR;
  delete baseEnv.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: WORK, input, encoding: 'utf8', env: { ...baseEnv, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Fixtures, from our own vectors. The Okta-shaped vectors below share one SP, IdP, request ID and instant.
const vector = (path) => JSON.parse(readFileSync(join(OWN_VECTORS, path), 'utf8'));
const OKTA = vector('okta/okta-sp-initiated.json');
const OKTA_RELAY = vector('okta/okta-relay-state.json');
const TAMPERED = vector('attacks/digest-tampered.json');
const ENCRYPTED = vector('okta/okta-encrypted-aes256-gcm.json');
const samlResponseOf = (v) => new URLSearchParams(v.body).get('SAMLResponse');
const relayStateOf = (v) => new URLSearchParams(v.body).get('RelayState');
const xmlOf = (v) => Buffer.from(samlResponseOf(v), 'base64').toString('utf8');
const file = (name, content) => {
  const path = join(WORK, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return name;
};
const AUTHN_REQUEST = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${OKTA.request_id}" Version="2.0" IssueInstant="2026-11-22T09:59:58Z"/>`;
const JUDGE = ['--request-id', OKTA.request_id, '--now', OKTA.now];

const setup = suite('saml-core CLI: the installed package');
let installed;
setup.before(() => {
  installed = install();
  copyFileSync(join(OWN_VECTORS, 'keys', 'okta.crt.pem'), join(WORK, 'okta.crt.pem'));
  copyFileSync(join(OWN_VECTORS, 'keys', 'azure.crt.pem'), join(WORK, 'azure.crt.pem'));
  copyFileSync(join(OWN_VECTORS, 'keys', 'sp-encryption.key.pem'), join(WORK, 'sp-encryption.key.pem'));
  const config = (certificate, extra = {}) => JSON.stringify({ sp: { ...OKTA.sp, ...extra }, idp: { entityId: OKTA.idp_config.entityId, ssoUrl: OKTA.idp_config.ssoUrl, certificates: [{ file: certificate }] } }, null, 2);
  file('okta.json', config('okta.crt.pem'));
  // The retired-certificate mistake: the Okta response checked against another IdP certificate.
  file('wrong-cert.json', config('azure.crt.pem'));
  file('okta-decrypt.json', config('okta.crt.pem', { decryptionKeys: [{ file: 'sp-encryption.key.pem' }] }));
});
setup('npm pack ships the bin executable, with its shebang, and package.json names it', () => {
  assert.is(installed.pkg.bin['saml-core'], './dist/node/cli/main.js');
  const entry = installed.packed.files.find((f) => f.path === 'dist/node/cli/main.js');
  assert.ok(entry, 'dist/node/cli/main.js is packed');
  assert.is(entry.mode & 0o111, 0o111, `mode ${entry.mode.toString(8)}`);
  assert.is(statSync(BIN).mode & 0o111, 0o111);
  assert.ok(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n'));
  const r = run(['--version']);
  assert.is(r.code, 0);
  assert.is(r.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
});
setup.run();

// ---------------------------------------------------------------------------------------------
const formats = suite('saml-core check: every INPUT format');

const accepted = (r, what) => {
  assert.is(r.code, 0, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /\nACCEPTED: NameID jane\.doe@example\.com /, what);
  assert.is(r.stderr, '', what);
};

formats('a urlencoded POST body', () => {
  accepted(run(['check', file('body.txt', `${OKTA.body}\n`), '--config', 'okta.json', ...JUDGE]), 'body');
});
formats('the bare base64 SAMLResponse, line-wrapped at 76', () => {
  const wrapped = samlResponseOf(OKTA).match(/.{1,76}/g).join('\n');
  accepted(run(['check', file('response.b64', `${wrapped}\n`), '--config', 'okta.json', ...JUDGE]), 'base64');
});
formats('the base64 SAMLResponse URL-encoded (copied from a form body)', () => {
  accepted(run(['check', file('response.urlencoded', encodeURIComponent(samlResponseOf(OKTA))), '--config', 'okta.json', ...JUDGE]), 'urlencoded value');
});
formats('the XML itself', () => {
  accepted(run(['check', file('response.xml', xmlOf(OKTA)), '--config', 'okta.json', ...JUDGE]), 'xml');
});
formats('standard input (-)', () => {
  accepted(run(['check', '-', '--config', 'okta.json', ...JUDGE], { input: OKTA.body }), 'stdin');
});
formats('an encrypted Response, the SP key as { "file" } in the config', () => {
  accepted(run(['check', file('encrypted.txt', ENCRYPTED.body), '--config', 'okta-decrypt.json', ...JUDGE]), 'encrypted');
});

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): log.entries[].request { method, url,
// postData { mimeType, text, params[{ name, value }] } }. Chrome writes text and params (as sent,
// URL-encoded), Firefox text and params decoded; some tools params alone.
function har() {
  const entry = (request) => ({ startedDateTime: '2026-11-22T10:00:00.000Z', time: 1, request: { httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: -1, ...request }, response: { status: 200 }, cache: {}, timings: {} });
  const form = 'application/x-www-form-urlencoded';
  const params = (v, encode) => [...new URLSearchParams(v.body)].map(([name, value]) => ({ name, value: encode ? encodeURIComponent(value) : value }));
  return {
    log: {
      version: '1.2',
      creator: { name: 'test', version: '1' },
      entries: [
        entry({ method: 'GET', url: 'https://app.example.com/login' }),
        entry({ method: 'GET', url: `${OKTA.idp_config.ssoUrl}?SAMLRequest=${encodeURIComponent(deflateRawSync(AUTHN_REQUEST).toString('base64'))}&RelayState=%2Fhome` }),
        entry({ method: 'POST', url: OKTA.sp.acsUrl, postData: { mimeType: form, text: OKTA.body, params: params(OKTA, true) } }),
        entry({ method: 'POST', url: OKTA.sp.acsUrl, postData: { mimeType: form, params: params(OKTA_RELAY, false) } }),
        entry({ method: 'POST', url: OKTA.sp.acsUrl, postData: { mimeType: form, text: Buffer.from(TAMPERED.body).toString('base64'), encoding: 'base64' } }),
      ],
    },
  };
}

formats('a HAR file: every POST with a SAMLResponse checked and listed; one rejected makes exit 1', () => {
  const r = run(['check', file('capture.har', JSON.stringify(har())), '--config', 'okta.json', ...JUDGE]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /\(a HAR file, 3 SAML responses\)/);
  assert.match(r.stdout, /Response 1 of 3: entry 3: POST https:\/\/app\.example\.com\/saml\/acs/);
  assert.match(r.stdout, /3 responses: 2 accepted, 1 rejected\n {2}✓ accepted {2}entry 3: POST .* {2}jane\.doe@example\.com\n {2}✓ accepted {2}entry 4: .*\n {2}✗ rejected {2}entry 5: POST .* {2}SIGNATURE_INVALID\n$/);
  const json = JSON.parse(run(['check', 'capture.har', '--config', 'okta.json', ...JUDGE, '--json']).stdout);
  assert.equal(json.responses.map((x) => [x.label.slice(0, 8), x.ok, x.error?.code ?? null]), [['entry 3:', true, null], ['entry 4:', true, null], ['entry 5:', false, 'SIGNATURE_INVALID']]);
  assert.is(json.responses[1].assertion.relayState, relayStateOf(OKTA_RELAY));
});
formats('a HAR file without a SAMLResponse POST is unreadable input (exit 2)', () => {
  const empty = har();
  empty.log.entries = [empty.log.entries[0], { request: { method: 'POST', url: 'https://app.example.com/login', postData: { mimeType: 'application/x-www-form-urlencoded', text: 'user=jane&password=x' } } }];
  const r = run(['check', file('empty.har', JSON.stringify(empty)), '--config', 'okta.json']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /a HAR file of 2 entries, none a POST carrying SAMLResponse/);
});

// SAML-tracer's export (SimpleSAMLphp/SAML-tracer src/SAMLTraceIO.js exportRequests, src/SAMLTrace.js
// SAMLTrace.Request): { requests: [{ method, url, requestId, requestHeaders, post: [[name, value]],
// saml, protocol, ... }], timestamp }. The default export profile ("hash") replaces every form value
// with {hash:...}; the decoded message stays in `saml`.
function samlTracer({ hashed }) {
  const post = (v) => [...new URLSearchParams(v.body)].map(([name, value]) => [name, hashed ? `{hash:${name.length}abc}` : value]);
  const request = (v, i) => ({ method: 'POST', url: v.sp.acsUrl, requestId: `request-${i}-POST-x`, requestHeaders: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], post: post(v), protocol: 'SAML-P', saml: xmlOf(v), responseStatus: 200, responseStatusText: 'HTTP/1.1 200 OK', responseHeaders: [] });
  return { requests: [{ method: 'GET', url: 'https://example.okta.com/', requestId: 'request-0-GET-x', requestHeaders: [], responseHeaders: [] }, request(OKTA, 1), request(OKTA_RELAY, 2)], timestamp: '2026-11-22T10:00:05.000Z' };
}
formats('a SAML-tracer export, form values kept (export profile "none")', () => {
  const r = run(['check', file('tracer.json', JSON.stringify(samlTracer({ hashed: false }))), '--config', 'okta.json', ...JUDGE, '--json']);
  assert.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout);
  assert.is(json.input.format, 'saml-tracer');
  assert.equal(json.responses.map((x) => [x.label, x.ok]), [['request 2: POST https://app.example.com/saml/acs', true], ['request 3: POST https://app.example.com/saml/acs', true]]);
  assert.is(json.responses[1].assertion.relayState, relayStateOf(OKTA_RELAY));
});
formats('a SAML-tracer export with hashed form values: rebuilt from its decoded "saml" XML, and says so', () => {
  const r = run(['check', file('tracer-hashed.json', JSON.stringify(samlTracer({ hashed: true }))), '--config', 'okta.json', ...JUDGE]);
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /note: the export replaced the form values \(SAML-tracer export filter\); SAMLResponse was rebuilt from the decoded "saml" field, and RelayState is unknown/);
});
formats('a vector file brings its own config, now and request_id; both body forms', () => {
  accepted(run(['check', join(OWN_VECTORS, 'okta/okta-sp-initiated.json')]), 'vector body');
  const split = { ...OKTA, saml_response: samlResponseOf(OKTA_RELAY), relay_state: relayStateOf(OKTA_RELAY) };
  delete split.body;
  const r = run(['check', file('split-vector.json', JSON.stringify(split)), '--json']);
  assert.is(r.code, 0, r.stdout);
  const json = JSON.parse(r.stdout);
  assert.is(json.input.format, 'vector');
  assert.is(json.responses[0].nowSource, 'vector');
  assert.is(json.responses[0].requestId, OKTA.request_id);
  assert.is(json.responses[0].assertion.relayState, relayStateOf(OKTA_RELAY));
});
formats('flags override a vector file: --now after the assertion expired rejects it', () => {
  const r = run(['check', join(OWN_VECTORS, 'okta/okta-sp-initiated.json'), '--now', '2026-11-23T10:00:00Z', '--json']);
  assert.is(r.code, 1);
  const json = JSON.parse(r.stdout);
  assert.is(json.responses[0].now, '2026-11-23T10:00:00.000Z');
  assert.is(json.responses[0].error.code, 'EXPIRED');
});
formats('--metadata with --sp-entity-id and --acs-url builds the config from the IdP metadata', () => {
  const certificate = readFileSync(join(WORK, 'okta.crt.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, '');
  const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${OKTA.idp_config.entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${OKTA.idp_config.ssoUrl}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
  file('idp-metadata.xml', metadata);
  const r = run(['check', 'body.txt', '--metadata', 'idp-metadata.xml', '--sp-entity-id', OKTA.sp.entityId, '--acs-url', OKTA.sp.acsUrl, ...JUDGE]);
  accepted(r, 'metadata');
  assert.match(r.stdout, /\nconfig: --metadata idp-metadata\.xml\n/);
});
formats.run();

// ---------------------------------------------------------------------------------------------
const verdicts = suite('saml-core check: verdicts, the trace, --json and --at-issue-time');

verdicts('a rejected vector (wrong certificate) exits 1 and shows the failing check, its message and hint', () => {
  const r = run(['check', join(OWN_VECTORS, 'attacks/wrong-certificate.json')]);
  assert.is(r.code, 1);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /\n {2}✗ {2}signature\.response +Response signature, with a configured certificate/);
  assert.match(r.stdout, /\n {26}SIGNATURE_INVALID: The Response signature does not verify/);
  assert.match(r.stdout, /\n {26}hint: Paste the IdP's current signing certificate/);
  assert.match(r.stdout, /\nREJECTED: SIGNATURE_INVALID at signature\.response \(Response signature, with a configured certificate\): the first failing check above\n/);
  assert.match(r.stdout, /\n {2}– {2}replay /);
  assert.match(r.stdout, /Response signature NOT VERIFIED/);
});
verdicts('the retired certificate: the KeyInfo certificate\'s fingerprint is named, the values read unverified are marked', () => {
  const r = run(['check', 'body.txt', '--config', 'wrong-cert.json', ...JUDGE]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /SIGNATURE_INVALID: .*KeyInfo/);
  assert.match(r.stdout, /[0-9A-F]{2}(:[0-9A-F]{2}){31}/);
  assert.match(r.stdout, /\n {2}✓ {2}destination +Response Destination is the ACS URL \(unverified\)\n/);
  assert.match(r.stdout, /\n {2}NameID +jane\.doe@example\.com \(urn:oasis:names:tc:SAML:1\.1:nameid-format:emailAddress\) \(unverified\)\n/);
});
verdicts('--json: one JSON document on stdout, the documented shape', () => {
  const r = run(['check', 'body.txt', '--config', 'okta.json', ...JUDGE, '--json']);
  assert.is(r.code, 0);
  const json = JSON.parse(r.stdout); // throws unless stdout is exactly one document
  assert.equal(Object.keys(json), ['command', 'input', 'ok', 'responses']);
  assert.equal(json.input, { name: 'body.txt', format: 'form' });
  assert.is(json.ok, true);
  const [one] = json.responses;
  assert.equal(Object.keys(one), ['label', 'note', 'config', 'now', 'nowSource', 'requestId', 'ok', 'error', 'assertion', 'checks', 'document']);
  assert.equal(one.checks.map((c) => c.id), ['config', 'input.size', 'xml.parse', 'status', 'assertion', 'signatures', 'signature.response', 'decrypt', 'signature.assertion', 'version', 'destination', 'issuer', 'in-response-to', 'recipient', 'time.conditions', 'audience', 'nameid', 'authn-statement', 'attributes', 'replay']);
  assert.ok(one.checks.every((c) => ['pass', 'not-run'].includes(c.status) && typeof c.title === 'string' && typeof c.verified === 'boolean'));
  assert.is(one.assertion.nameId, 'jane.doe@example.com');
  assert.equal(one.document.verified, { response: true, assertion: true });
  assert.is(one.now, '2026-11-22T10:00:30.000Z');
  assert.is(one.nowSource, '--now');
  const rejected = JSON.parse(run(['check', join(OWN_VECTORS, 'attacks/wrong-certificate.json'), '--json']).stdout);
  assert.is(rejected.ok, false);
  assert.is(rejected.responses[0].assertion, null);
  assert.equal(Object.keys(rejected.responses[0].error), ['code', 'message', 'hint']);
  assert.is(rejected.responses[0].error.code, 'SIGNATURE_INVALID');
  assert.is(rejected.responses[0].checks.find((c) => c.status === 'fail').id, 'signature.response');
});
verdicts('--now with an offset is the same instant in UTC', () => {
  const json = JSON.parse(run(['check', 'body.txt', '--config', 'okta.json', '--request-id', OKTA.request_id, '--now', '2026-11-22T11:00:30+01:00', '--json']).stdout);
  assert.equal([json.ok, json.responses[0].now], [true, '2026-11-22T10:00:30.000Z']);
});
verdicts('--request-id repeated: any of the pending requests', () => {
  const json = JSON.parse(run(['check', 'body.txt', '--config', 'okta.json', '--request-id', '_another', '--request-id', OKTA.request_id, '--now', OKTA.now, '--json']).stdout);
  assert.equal([json.ok, json.responses[0].requestId], [true, ['_another', OKTA.request_id]]);
});
verdicts('--at-issue-time judges at the IssueInstant + 1 s and says so', () => {
  const r = run(['check', 'body.txt', '--config', 'okta.json', '--request-id', OKTA.request_id, '--at-issue-time']);
  accepted(r, 'at issue time');
  assert.match(r.stdout, /\njudged at 2026-11-22T10:00:01\.000Z: the Response's IssueInstant 2026-11-22T10:00:00\.000Z \+ 1 s \(--at-issue-time\)\n/);
  const json = JSON.parse(run(['check', 'body.txt', '--config', 'okta.json', '--request-id', OKTA.request_id, '--at-issue-time', '--json']).stdout);
  assert.is(json.responses[0].nowSource, '--at-issue-time');
  assert.is(json.responses[0].now, '2026-11-22T10:00:01.000Z');
});
verdicts('without --request-id an SP-initiated response is judged by IdP-initiated rules, and fails in-response-to', () => {
  const r = run(['check', 'body.txt', '--config', 'okta.json', '--now', OKTA.now, '--json']);
  assert.is(r.code, 1);
  const [one] = JSON.parse(r.stdout).responses;
  assert.is(one.requestId, null);
  assert.is(one.checks.find((c) => c.status === 'fail').id, 'in-response-to');
});
verdicts('a fresh replay store per run: the same capture checked twice is accepted twice; twice in one file is a replay', () => {
  accepted(run(['check', 'body.txt', '--config', 'okta.json', ...JUDGE]), 'first run');
  accepted(run(['check', 'body.txt', '--config', 'okta.json', ...JUDGE]), 'second run');
  const twice = har();
  twice.log.entries = [twice.log.entries[2], twice.log.entries[2]];
  const json = JSON.parse(run(['check', file('twice.har', JSON.stringify(twice)), '--config', 'okta.json', ...JUDGE, '--json']).stdout);
  assert.equal(json.responses.map((x) => x.error?.code ?? 'ok'), ['ok', 'REPLAYED']);
});
verdicts.run();

// ---------------------------------------------------------------------------------------------
const usage = suite('saml-core: every usage error exits 2 with one line on stderr and nothing on stdout');

const USAGE_ERRORS = [
  ['no command', [], /^Usage: saml-core/],
  ['unknown command', ['chek', 'body.txt'], /^error: unknown command 'chek'\n\(Did you mean check\?\)\n$/],
  ['unknown option', ['check', 'body.txt', '--config', 'okta.json', '--colour'], /^error: unknown option '--colour'/],
  ['missing INPUT', ['check'], /^error: missing required argument 'INPUT'\n$/],
  ['unreadable file', ['check', 'nothing-here.txt', '--config', 'okta.json'], /^saml-core: cannot read INPUT "nothing-here\.txt": no such file\n$/],
  ['a directory as INPUT', ['check', '.', '--config', 'okta.json'], /^saml-core: cannot read INPUT "\.": it is a directory\n$/],
  ['undetectable format', ['check', file('notes.txt', 'hello, world\n'), '--config', 'okta.json'], /^saml-core: notes\.txt: unrecognised input; expected a urlencoded POST body \(SAMLResponse=\.\.\.\), the base64 SAMLResponse, the Response XML, a HAR file, a SAML-tracer JSON export, a vector file \(\.\.\/shared\/VECTORS\.md\), or "-" for standard input; it starts with "hello, world"\n$/],
  ['base64 of neither XML nor DEFLATE', ['check', file('junk.b64', Buffer.from('just some words here').toString('base64')), '--config', 'okta.json'], /^saml-core: junk\.b64: base64 that decodes to neither XML/],
  ['JSON of no known shape', ['check', file('other.json', '{"hello": 1}'), '--config', 'okta.json'], /^saml-core: other\.json: JSON, but not a HAR file \(log\.entries\), a SAML-tracer export \(requests\) or a vector file/],
  ['broken JSON', ['check', file('broken.har', '{"log": {'), '--config', 'okta.json'], /^saml-core: broken\.har starts like JSON .* but is not valid JSON/],
  ['empty input', ['check', file('empty.txt', '\n'), '--config', 'okta.json'], /^saml-core: empty\.txt is empty: expected /],
  ['bad --now', ['check', 'body.txt', '--config', 'okta.json', '--now', '22/11/2026'], /^saml-core: --now: expected an ISO 8601 instant with a time zone, such as 2026-11-22T10:00:30Z; got "22\/11\/2026"\n$/],
  ['--now on a day that does not exist', ['check', 'body.txt', '--config', 'okta.json', '--now', '2026-02-30T10:00:00Z'], /^saml-core: --now: expected an ISO 8601 instant with a time zone, such as 2026-11-22T10:00:30Z; got "2026-02-30T10:00:00Z"\n$/],
  ['--now without a time zone', ['check', 'body.txt', '--config', 'okta.json', '--now', '2026-11-22T10:00:30'], /^saml-core: --now: expected an ISO 8601 instant with a time zone/],
  ['--now with --at-issue-time', ['check', 'body.txt', '--config', 'okta.json', '--now', OKTA.now, '--at-issue-time'], /^error: option '--now <ISO>' cannot be used with option '--at-issue-time'\n$/],
  ['--config with --metadata', ['check', 'body.txt', '--config', 'okta.json', '--metadata', 'idp-metadata.xml'], /^error: option '--config <FILE\.json>' cannot be used with option '--metadata <IDP\.xml>'\n$/],
  ['--metadata without --acs-url', ['check', 'body.txt', '--metadata', 'idp-metadata.xml', '--sp-entity-id', OKTA.sp.entityId], /^saml-core: --metadata needs --acs-url URL too/],
  ['--sp-entity-id without --metadata', ['check', 'body.txt', '--config', 'okta.json', '--sp-entity-id', 'x'], /^saml-core: --sp-entity-id goes with --metadata IDP\.xml/],
  ['no config for a capture', ['check', 'body.txt'], /^saml-core: check needs the SP and IdP settings: --config FILE\.json, or --metadata IDP\.xml --sp-entity-id ID --acs-url URL \(a vector file brings its own\); body\.txt is a POST body\n$/],
  ['bad config JSON', ['check', 'body.txt', '--config', file('bad.json', '{"sp": {,}')], /^saml-core: --config "bad\.json": expected the SamlConfig as JSON; it is not valid JSON: /],
  ['a config certificate of an unknown shape', ['check', 'body.txt', '--config', file('bad-shape.json', JSON.stringify({ sp: OKTA.sp, idp: { certificates: [{ path: 'okta.pem' }] } }))], /^saml-core: --config "bad-shape\.json": idp\.certificates\[0\] must be a PEM string or \{ "file": "name\.pem" \}; got an object with keys "path"\n$/],
  ['a config certificate file that is missing', ['check', 'body.txt', '--config', file('missing-file.json', JSON.stringify({ sp: OKTA.sp, idp: { certificates: { file: 'gone.pem' } } }))], /^saml-core: cannot read idp\.certificates file ".*gone\.pem": no such file\n$/],
  ['a config without idp.certificates', ['check', 'body.txt', '--config', file('no-certs.json', JSON.stringify({ sp: OKTA.sp, idp: {} }))], /^saml-core: --config "no-certs\.json": idp\.certificates is missing/],
  ['a SAMLRequest given to check', ['check', file('request.url', 'https://idp.example.com/sso?SAMLRequest=' + encodeURIComponent(deflateRawSync('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>').toString('base64'))), '--config', 'okta.json'], /^saml-core: request\.url holds a SAMLRequest and no SAMLResponse: check validates Responses \(saml-core decode shows a request\)\n$/],
  ['conformance of a missing directory', ['conformance', 'no-such-dir'], /^saml-core: conformance: cannot read directory "no-such-dir": no such file or directory\n$/],
  ['conformance of a folder with a file that is not JSON', ['conformance', dirname(file('broken-vectors/one.json', '{"name": '))], /^saml-core: conformance: ".*one\.json" is not valid JSON: /],
  ['conformance of a folder with a JSON file that is not a vector', ['conformance', dirname(file('not-vectors/one.json', '{"name": "x"}'))], /^saml-core: .*one\.json: expected a vector file \(\.\.\/shared\/VECTORS\.md: expect, idp_config, and body or saml_response\); got an object with keys "name"\n$/],
  ['conformance --junit into a missing folder', ['conformance', join(OWN_VECTORS, 'okta'), '--junit', 'no/such/dir/out.xml'], /^saml-core: --junit: cannot write "no\/such\/dir\/out\.xml": /],
  ['metadata without --config', ['metadata'], /^error: required option '--config <FILE\.json>' not specified\n$/],
];

for (const [what, args, stderr] of USAGE_ERRORS) {
  usage(what, () => {
    const r = run(args);
    assert.is(r.code, 2, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.is(r.stdout, '', what);
    assert.match(r.stderr, stderr, what);
    if (what !== 'no command' && what !== 'unknown command') assert.is(r.stderr.trimEnd().split('\n').length, 1, `${what}: one line: ${r.stderr}`);
  });
}
usage('--help exits 0', () => {
  const r = run(['check', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--at-issue-time/);
});
usage.run();

// ---------------------------------------------------------------------------------------------
const decode = suite('saml-core decode');

/** Every non-blank text node and attribute of an XML document, in document order. */
function contentOf(xml) {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === 1) for (const a of Array.from(node.attributes)) out.push(`@${a.name}=${a.value}`);
    if (node.nodeType === 3 && node.data.trim() !== '') out.push(node.data);
    for (const child of Array.from(node.childNodes)) walk(child);
  };
  walk(new DOMParser().parseFromString(xml, 'text/xml'));
  return out;
}

decode('a Response: NOT VERIFIED, indented XML with every text and attribute exactly as sent, and the summary', () => {
  const r = run(['decode', 'body.txt']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('NOT VERIFIED: decoded only.'), r.stdout.slice(0, 80));
  assert.match(r.stdout, /\n<saml2p:Response [^\n]*>\n {2}<saml2:Issuer [^\n]*>http:\/\/www\.okta\.com\/exk1fxg2ykKOIqGfd5d7<\/saml2:Issuer>\n {2}<ds:Signature /);
  const start = r.stdout.indexOf('<saml2p:Response');
  const end = r.stdout.indexOf('</saml2p:Response>') + '</saml2p:Response>'.length;
  assert.equal(contentOf(r.stdout.slice(start, end)), contentOf(xmlOf(OKTA)));
  assert.match(r.stdout, /\nDocument \(what it claims, NOT VERIFIED\)\n/);
  assert.match(r.stdout, /\n {2}NameID +jane\.doe@example\.com \(urn:oasis:names:tc:SAML:1\.1:nameid-format:emailAddress\)\n/);
});
decode('a redirect-binding SAMLRequest URL and its bare parameter value are inflated', async () => {
  const request = await createAuthnRequest({ sp: OKTA.sp, idp: { entityId: OKTA.idp_config.entityId, ssoUrl: OKTA.idp_config.ssoUrl, certificates: readFileSync(join(WORK, 'okta.crt.pem'), 'utf8') } }, { relayState: '/dashboard' });
  const r = run(['decode', file('authn.url', request.redirectUrl)]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /: SAMLRequest \(HTTP-Redirect binding, inflated\)\nRelayState: \/dashboard\n\n<samlp:AuthnRequest /);
  assert.match(r.stdout, new RegExp(`ID="${request.id}"`));
  const value = new URL(request.redirectUrl).searchParams.get('SAMLRequest');
  const bare = JSON.parse(run(['decode', file('authn.b64', value), '--json']).stdout);
  assert.is(bare.verified, false);
  assert.equal(bare.messages.map((m) => [m.kind, m.binding, m.xml]), [['request', 'redirect', request.xml]]);
  const encoded = run(['decode', file('authn.param', encodeURIComponent(value))]);
  assert.match(encoded.stdout, /<samlp:AuthnRequest /);
});
decode('a DEFLATE bomb is refused, not inflated (exit 2)', () => {
  const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 }).toString('base64');
  const r = run(['decode', file('bomb.url', `https://idp.example.com/sso?SAMLRequest=${encodeURIComponent(bomb)}`)]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /inflates to more than 1048576 bytes; refused/);
});
decode('a HAR file: every Response and request in it, and --json', () => {
  const r = run(['decode', 'capture.har', '--json']);
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.messages.map((m) => m.kind), ['request', 'response', 'response', 'response']);
  assert.is(json.messages[1].xml, xmlOf(OKTA));
  assert.is(json.messages[1].document.nameId, 'jane.doe@example.com');
  assert.equal(json.messages[1].document.verified, { response: false, assertion: false });
});
decode('control and bidirectional characters are shown as character references, never written raw', () => {
  const xml = xmlOf(OKTA).replace('jane.doe@example.com</saml2:NameID>', 'jane\u202Egro.evil@example.com</saml2:NameID>');
  const r = run(['decode', file('bidi.xml', xml)]);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(r.stdout.includes('\u202E'));
  assert.match(r.stdout, /jane&#x202E;gro\.evil@example\.com<\/saml2:NameID>/);
  assert.match(r.stdout, /NameID +jane\\u202Egro\.evil@example\.com/);
});
decode.run();

// ---------------------------------------------------------------------------------------------
const conformance = suite('saml-core conformance');

conformance('our own vectors: every verdict as expected, the table by category, the closing line; JUnit and JSON agree', () => {
  const r = run(['conformance', OWN_VECTORS, '--junit', 'own.junit.xml', '--json', 'own.json']);
  const count = jsonFiles(OWN_VECTORS).length;
  assert.is(r.code, 0, r.stdout);
  assert.ok(r.stdout.endsWith(`\n${count} passed, 0 failed\n`), r.stdout.slice(-200));
  assert.match(r.stdout, /^ {2}category +vectors +passed +failed +class differs\n {2}attack +\d+/);
  const junit = new DOMParser().parseFromString(readFileSync(join(WORK, 'own.junit.xml'), 'utf8'), 'text/xml');
  const root = junit.documentElement;
  assert.is(root.tagName, 'testsuites');
  assert.is(Number(root.getAttribute('tests')), count);
  assert.is(Number(root.getAttribute('failures')), 0);
  const suites = Array.from(root.getElementsByTagName('testsuite'));
  assert.equal(suites.map((s) => s.getAttribute('name')), ['attack', 'control', 'negative']);
  assert.is(suites.reduce((n, s) => n + Number(s.getAttribute('tests')), 0), count);
  assert.is(root.getElementsByTagName('testcase').length, count);
  const json = JSON.parse(readFileSync(join(WORK, 'own.json'), 'utf8'));
  assert.equal([json.command, json.passed, json.failed, json.vectors.length], ['conformance', count, 0, count]);
});
conformance('every verdict agrees with the suite\'s own runner (test/vector-replay.js), vector by vector', async () => {
  const own = readVectors(OWN_VECTORS);
  const byName = new Map(own.map(({ vector: v }) => [v.name, v]));
  const json = JSON.parse(readFileSync(join(WORK, 'own.json'), 'utf8'));
  const cli = new Map(json.vectors.map((v) => [v.name, v]));
  for (const { vector: v } of own) {
    const suiteVerdict = await runVector(v, byName);
    const outcome = typeof suiteVerdict.outcome === 'string' ? suiteVerdict.outcome : 'accepted';
    assert.equal([cli.get(v.name).ok, cli.get(v.name).outcome], [suiteVerdict.ok, outcome], v.name);
  }
  assert.equal(CLI_CLASS_OF_CODE, CLASS_OF_CODE);
});
conformance('a differing verdict exits 1, is listed with its failing check, and is a JUnit failure (escaped XML)', () => {
  const dir = join(WORK, 'differs');
  mkdirSync(join(dir, 'keys'), { recursive: true });
  writeFileSync(join(dir, 'keys', 'not-a-vector.json'), '{"skipped": true}');
  writeFileSync(join(dir, 'ok.json'), JSON.stringify(OKTA));
  writeFileSync(join(dir, 'flipped.json'), JSON.stringify({ ...TAMPERED, name: 'tampered <&"\'> \u0001 expected valid', category: 'odd & <category>', expect: { valid: true } }));
  const r = run(['conformance', dir, '--junit', 'differs.xml', '--json', 'differs.json']);
  assert.is(r.code, 1);
  assert.match(r.stdout, /\n {2}✗ tampered <&"'> .* expected valid .*: expected accepted; expected valid, got SIGNATURE_INVALID: /);
  assert.match(r.stdout, /\n {6}first failing check: signature\.response \(/);
  assert.ok(r.stdout.endsWith('\n1 passed, 1 failed\n'), r.stdout.slice(-100));
  const junit = new DOMParser().parseFromString(readFileSync(join(WORK, 'differs.xml'), 'utf8'), 'text/xml').documentElement;
  assert.is(junit.getAttribute('failures'), '1');
  const failure = junit.getElementsByTagName('failure')[0];
  assert.is(failure.getAttribute('type'), 'SIGNATURE_INVALID');
  assert.match(failure.getAttribute('message'), /^expected valid, got SIGNATURE_INVALID: /);
  const testcase = failure.parentNode;
  assert.is(testcase.getAttribute('name'), 'tampered <&"\'> \\u0001 expected valid');
  assert.is(testcase.parentNode.getAttribute('name'), 'odd & <category>');
  assert.is(JSON.parse(readFileSync(join(WORK, 'differs.json'), 'utf8')).vectors.find((v) => !v.ok).failingCheck.id, 'signature.response');
});
conformance('the real IdP vectors with the project\'s deviations (as .ci/run runs them): all pass', () => {
  const real = realVectors();
  if (real === null) return; // realVectors() printed the one "not run" line
  const r = run(['conformance', OWN_VECTORS, real.dir, '--deviations', join(ROOT, 'test', 'real-vector-deviations.json')]);
  assert.is(r.code, 0, r.stdout);
  assert.ok(r.stdout.endsWith(`\n${jsonFiles(OWN_VECTORS).length + real.vectors.length} passed, 0 failed\n`), r.stdout.slice(-200));
  // Without them, exactly the vectors whose own expect the project decided otherwise differ.
  const plain = JSON.parse((run(['conformance', real.dir, '--json', 'real.json']), readFileSync(join(WORK, 'real.json'), 'utf8')));
  const deviations = JSON.parse(readFileSync(join(ROOT, 'test', 'real-vector-deviations.json'), 'utf8'));
  for (const v of plain.vectors.filter((x) => !x.ok)) assert.ok(v.name in deviations, `${v.name} differs and is not a deviation: ${v.problem}`);
});
conformance.run();

// ---------------------------------------------------------------------------------------------
const output = suite('saml-core: metadata, and colours only on a terminal without NO_COLOR');

output('metadata prints the SP metadata of the config file', () => {
  const r = run(['metadata', '--config', 'okta.json']);
  assert.is(r.code, 0, r.stderr);
  const root = new DOMParser().parseFromString(r.stdout, 'text/xml').documentElement;
  assert.is(root.getAttribute('entityID'), OKTA.sp.entityId);
  assert.match(r.stdout, new RegExp(`Location="${OKTA.sp.acsUrl}"`));
  const bad = run(['metadata', '--config', file('bad-sp.json', JSON.stringify({ sp: { entityId: OKTA.sp.entityId, acsUrl: 'not a url' }, idp: { certificates: { file: 'okta.crt.pem' } } }))]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^saml-core: --config "bad-sp\.json": CONFIG_INVALID: /);
});
output('the rule: a TTY, and NO_COLOR unset or empty (no-color.org)', () => {
  assert.is(colorEnabled({ isTTY: true }, {}), true);
  assert.is(colorEnabled({ isTTY: true }, { NO_COLOR: '' }), true);
  assert.is(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.is(colorEnabled({ isTTY: false }, {}), false);
  assert.is(colorEnabled({}, { FORCE_COLOR: '1' }), false);
});
output('piped output has no escape sequence, even with FORCE_COLOR', () => {
  for (const args of [['check', join(OWN_VECTORS, 'attacks/wrong-certificate.json')], ['decode', 'body.txt'], ['conformance', join(WORK, 'differs')]]) {
    const r = run(args, { env: { FORCE_COLOR: '1' } });
    assert.not.ok(r.stdout.includes('\u001b['), args.join(' '));
  }
});
// On a terminal: util-linux script(1) gives the child a pseudo-terminal (Debian's bsdutils, always installed).
output('on a terminal the verdict is coloured, and NO_COLOR=1 turns colour off', () => {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check ${JSON.stringify(join(OWN_VECTORS, 'attacks/wrong-certificate.json'))}`;
  const tty = (env) => spawnSync('script', ['-qec', command, '/dev/null'], { cwd: WORK, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env } });
  const coloured = tty({});
  assert.is(coloured.status, 1, coloured.stderr);
  assert.ok(coloured.stdout.includes('\u001b[31m'), 'red on a terminal');
  const bar = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} conformance ${JSON.stringify(join(WORK, 'differs'))}`, '/dev/null'], { cwd: WORK, encoding: 'utf8' });
  assert.match(bar.stdout, /conformance \[[^\]]+\] \d\/2 /, 'the progress bar on a terminal');
  assert.is(run(['conformance', join(WORK, 'differs')]).stderr, '', 'no progress bar when stderr is not a terminal');
  const plain = tty({ NO_COLOR: '1' });
  assert.is(plain.status, 1);
  assert.match(plain.stdout, /REJECTED: SIGNATURE_INVALID at signature\.response/);
  assert.not.ok(plain.stdout.includes('\u001b['), 'NO_COLOR');
});
output.after(() => {
  if (existsSync(WORK)) rmSync(WORK, { recursive: true, force: true });
});
output.run();
