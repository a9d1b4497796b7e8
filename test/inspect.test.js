// inspectResponse: the same checks as validateResponse, recorded instead of stopping at the first
// failure. The equivalence below runs over every own and real vector: the first recorded failure is
// the very error validateResponse throws, and an accepted response gives the same assertion.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_CODES, SamlError, createMemoryReplayStore, inspectResponse, validateResponse } from '../dist/index.js';
import { OWN_VECTORS, readVectors, realVectors } from './vector-files.js';
import { bodyOf, configOf } from './vector-runner.js';
import { summarizeResponseXml } from '../dist/saml/summary.js';

const own = readVectors(OWN_VECTORS);
const real = realVectors()?.vectors ?? [];
const all = [...own, ...real];
const byName = new Map(all.map(({ vector }) => [vector.name, vector]));
const optionsOf = (vector) => ({ now: new Date(vector.now), requestId: vector.request_id ?? null });
const KEYS = join(OWN_VECTORS, 'keys');
const pem = (name) => readFileSync(join(KEYS, name), 'utf8');
const vector = (name) => {
  const found = byName.get(name);
  if (!found) throw new Error(`no vector ${name}`);
  return found;
};
const CHECK_IDS = ['config', 'input.size', 'xml.parse', 'status', 'assertion', 'signatures', 'signature.response', 'decrypt', 'signature.assertion', 'version', 'destination', 'issuer', 'in-response-to', 'recipient', 'time.conditions', 'audience', 'nameid', 'authn-statement', 'attributes', 'replay'];

/** validateResponse's outcome with a fresh store (after the replay_of predecessor, as the vector says). */
async function outcome(run, v) {
  const store = createMemoryReplayStore();
  if (v.replay_of) {
    const first = vector(v.replay_of);
    await validateResponse(configOf(first, store), bodyOf(first), optionsOf(first));
  }
  return run(configOf(v, store), bodyOf(v), optionsOf(v));
}

const equivalence = suite('inspectResponse ≡ validateResponse');
equivalence('the vector sets are there: every own vector, and the real ones when ../shared is present', () => {
  assert.ok(own.length >= 100, `${own.length} own vectors`);
  if (realVectors()) assert.is(real.length, 45);
});
for (const { path, vector: v } of all) {
  equivalence(`first failure equals the thrown error, or the same assertion: ${v.name}`, async () => {
    let thrown = null;
    let accepted = null;
    try {
      accepted = await outcome(validateResponse, v);
    } catch (error) {
      thrown = error;
    }
    const inspected = await outcome(inspectResponse, v);
    assert.equal(inspected.checks.map((c) => c.id), CHECK_IDS, path);
    const fails = inspected.checks.filter((c) => c.status === 'fail');
    if (thrown !== null) {
      assert.instance(thrown, SamlError, path);
      assert.is(inspected.ok, false);
      assert.is(inspected.assertion, null);
      assert.instance(inspected.error, SamlError);
      assert.equal([inspected.error.code, inspected.error.message, inspected.error.hint], [thrown.code, thrown.message, thrown.hint], path);
      assert.ok(fails.length >= 1, path);
      assert.equal([fails[0].code, fails[0].message, fails[0].hint], [thrown.code, thrown.message, thrown.hint], path);
    } else {
      assert.is(inspected.ok, true, path);
      assert.is(inspected.error, null);
      assert.equal(fails, []);
      assert.equal(inspected.assertion, accepted, path);
      // The Assertion's values always come from a verified element; the Response's when it is signed
      // (policy may allow an unsigned Response around a signed Assertion: its own values are claims).
      assert.is(inspected.document.verified.assertion, true, path);
      const unverified = inspected.checks.filter((c) => !c.verified && c.status === 'pass').map((c) => c.id);
      if (inspected.document.verified.response) assert.equal(unverified, [], path);
      else assert.ok(unverified.includes('destination') && !unverified.includes('audience'), `${path}: ${unverified}`);
    }
  });
}
equivalence.run();

const trace = suite('inspectResponse trace');
const okta = () => vector('okta-sp-initiated-5-attributes');

trace('an accepted response: every applicable check passes, decrypt does not apply, the document summary is what it says', async () => {
  const v = okta();
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  assert.is(result.ok, true);
  const status = Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
  assert.equal(Object.entries(status).filter(([, s]) => s !== 'pass').map(([id]) => id), ['decrypt']);
  assert.match(result.checks.find((c) => c.id === 'decrypt').message, /no EncryptedAssertion/);
  const audience = result.checks.find((c) => c.id === 'audience');
  assert.equal([audience.expected, audience.actual], [`"${v.sp.entityId}" (sp.entityId)`, `"${v.sp.entityId}"`]);
  const doc = result.document;
  assert.is(doc.nameId, result.assertion.nameId);
  assert.is(doc.assertionId, result.assertion.assertionId);
  assert.is(doc.responseId, result.assertion.responseId);
  assert.is(doc.destination, v.sp.acsUrl);
  assert.is(doc.inResponseTo, v.request_id);
  assert.equal(doc.audiences, [v.sp.entityId]);
  assert.equal(doc.attributes, result.assertion.attributes);
  assert.equal(doc.signatures.map((s) => s.on), ['Response', 'Assertion']);
  assert.ok(doc.signatures.every((s) => /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(s.keyInfoCertificateSha256) && s.referenceUri.startsWith('#')));
});

trace('signature-invalid-wrong-certificate: the admin pasted another certificate; the message names the one tried and the KeyInfo one (fingerprint, subject, validity)', async () => {
  const v = okta();
  const config = { ...configOf(v), idp: { ...configOf(v).idp, certificates: [pem('azure.crt.pem')] } };
  const result = await inspectResponse(config, bodyOf(v), optionsOf(v));
  assert.is(result.ok, false);
  const failed = result.checks.find((c) => c.id === 'signature.response');
  assert.is(failed.status, 'fail');
  assert.is(failed.code, 'SIGNATURE_INVALID');
  const keyInfo = result.document.signatures[0].keyInfoCertificateSha256;
  assert.ok(keyInfo);
  assert.match(failed.message, /does not verify with the configured IdP certificate "[^"]+" \(SHA-256 [0-9A-F:]{95}\)/);
  assert.ok(failed.message.includes(`SHA-256 ${keyInfo}`), failed.message);
  assert.match(failed.message, /a certificate that is not configured: "[^"]+", SHA-256 [0-9A-F:]{95}, valid \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);
  assert.match(failed.hint, /never trust a certificate because a response carries it/);
  assert.match(failed.actual, /not configured/);
  // The Assertion signature fails the same way; the checks after it ran, on unverified values.
  assert.is(result.checks.find((c) => c.id === 'signature.assertion').status, 'fail');
  const audience = result.checks.find((c) => c.id === 'audience');
  assert.equal([audience.status, audience.verified], ['pass', false]);
  assert.is(result.checks.find((c) => c.id === 'replay').status, 'not-run');
  assert.equal(result.document.verified, { response: false, assertion: false });
  // The same error from validateResponse.
  const thrown = await validateResponse(config, bodyOf(v), optionsOf(v)).catch((e) => e);
  assert.is(thrown.message, failed.message);
});

trace('signature-invalid-digest: a changed Assertion is named, with its ID', async () => {
  const v = vector('digest-tampered');
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  const failed = result.checks.find((c) => c.status === 'fail');
  assert.is(failed.code, 'SIGNATURE_INVALID');
  assert.match(failed.message, /the digest of the signed (Response|Assertion) \(ID "[^"]+"\) does not match its DigestValue/);
  assert.match(failed.actual, /changed since signing/);
});

trace('signature-value-mismatch: KeyInfo names the configured certificate, yet the value does not match', async () => {
  const v = okta();
  const xml = atob(new URLSearchParams(bodyOf(v)).get('SAMLResponse'));
  // Flip one character inside the Response's SignatureValue.
  const broken = xml.replace(/(<ds:SignatureValue>)(.)/, (_, open, c) => open + (c === 'A' ? 'B' : 'A'));
  assert.not.equal(broken, xml);
  const result = await inspectResponse(configOf(v), { SAMLResponse: btoa(broken) }, optionsOf(v));
  const failed = result.checks.find((c) => c.id === 'signature.response');
  assert.is(failed.status, 'fail');
  assert.match(failed.message, /Its KeyInfo names the configured certificate "[^"]+": the signature value does not match SignedInfo/);
});

trace('status-not-success: recorded first, and the later checks still run (unverified where the signature failed)', async () => {
  const v = vector('status-requester-denied');
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  const [first] = result.checks.filter((c) => c.status === 'fail');
  assert.is(first.id, 'status');
  assert.is(first.verified, false);
  assert.ok(result.checks.filter((c) => c.status !== 'not-run').length > 4);
});

trace('xml-not-parsed: everything after the parse is not run, with the reason, and there is no document', async () => {
  const v = vector('multiple-roots');
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  assert.equal(result.checks.slice(0, 3).map((c) => c.status), ['pass', 'pass', 'fail']);
  assert.ok(result.checks.slice(3).every((c) => c.status === 'not-run' && /could not be parsed/.test(c.message)));
  assert.is(result.document, null);
});

trace('dtd-refused-before-parsing: the DTD ban is part of reading the body, before any parser sees the text', async () => {
  const v = vector('dtd-xxe');
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  assert.equal([result.checks[1].id, result.checks[1].status, result.checks[1].code], ['input.size', 'fail', 'INVALID_XML']);
  assert.ok(result.checks.slice(2).every((c) => c.status === 'not-run' && /body could not be read/.test(c.message)));
});

trace('config-invalid: nothing else runs', async () => {
  const v = vector('bad-pem-config');
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  assert.is(result.checks[0].status, 'fail');
  assert.is(result.checks[0].code, 'CONFIG_INVALID');
  assert.ok(result.checks.slice(1).every((c) => c.status === 'not-run'));
});

trace('decrypt-refused-without-verified-signature: an EncryptedAssertion under a failed Response signature is never decrypted', async () => {
  const v = vector('okta-encrypted-aes256-gcm');
  const config = { ...configOf(v), idp: { ...configOf(v).idp, certificates: [pem('attacker.crt.pem')] } };
  const result = await inspectResponse(config, bodyOf(v), optionsOf(v));
  const byId = Object.fromEntries(result.checks.map((c) => [c.id, c]));
  assert.is(byId['signature.response'].status, 'fail');
  assert.is(byId.decrypt.status, 'not-run');
  assert.match(byId.decrypt.message, /decrypted only when the Response signature over it verified/);
  assert.is(result.document.encrypted, true);
  assert.is(result.document.nameId, null);
});

trace('an encrypted response inspected: decrypt passes and the summary reads the decrypted Assertion', async () => {
  const v = vector('okta-encrypted-aes256-gcm');
  const result = await inspectResponse(configOf(v), bodyOf(v), optionsOf(v));
  assert.is(result.ok, true);
  assert.is(result.checks.find((c) => c.id === 'decrypt').status, 'pass');
  assert.is(result.document.encrypted, true);
  assert.is(result.document.nameId, result.assertion.nameId);
});

trace('replay: inspecting consumes the config\'s store, as validateResponse does; options.replayStore keeps it apart', async () => {
  const v = okta();
  const store = createMemoryReplayStore();
  const config = configOf(v, store);
  const apart = await inspectResponse(config, bodyOf(v), { ...optionsOf(v), replayStore: createMemoryReplayStore() });
  assert.is(apart.ok, true);
  assert.is((await inspectResponse(config, bodyOf(v), optionsOf(v))).ok, true);
  const again = await inspectResponse(config, bodyOf(v), optionsOf(v));
  assert.is(again.ok, false);
  assert.is(again.checks.at(-1).code, 'REPLAYED');
  const bad = await inspectResponse(config, bodyOf(v), { ...optionsOf(v), replayStore: {} });
  assert.equal([bad.checks[0].status, bad.checks[0].code], ['fail', 'INVALID_INPUT']);
});

trace('a rejected response never records its assertion as used', async () => {
  const v = okta();
  const store = createMemoryReplayStore();
  const wrongAudience = { ...configOf(v, store), sp: { ...configOf(v).sp, entityId: 'https://other.example.com' } };
  const rejected = await inspectResponse(wrongAudience, bodyOf(v), optionsOf(v));
  assert.is(rejected.checks.find((c) => c.id === 'audience').code, 'AUDIENCE_MISMATCH');
  assert.is(rejected.checks.find((c) => c.id === 'replay').status, 'not-run');
  assert.is((await validateResponse(configOf(v, store), bodyOf(v), optionsOf(v))).nameId, rejected.document.nameId);
});

trace('every failure code is a SamlError code, and hints name only the IdP\'s own setting', async () => {
  const v = okta();
  const config = { ...configOf(v), sp: { ...configOf(v).sp, acsUrl: 'https://app.example.com/other' } };
  const result = await inspectResponse(config, bodyOf(v), optionsOf(v));
  const fails = result.checks.filter((c) => c.status === 'fail');
  assert.equal(fails.map((c) => c.id), ['destination', 'recipient']);
  assert.ok(fails.every((c) => ERROR_CODES.includes(c.code)));
  assert.match(fails[0].hint, /Okta: "Single sign-on URL"/);
  assert.not.match(fails[0].hint, /Entra/);
});
const xmlOf = (v) => new TextDecoder().decode(Uint8Array.from(atob(new URLSearchParams(bodyOf(v)).get('SAMLResponse')), (c) => c.charCodeAt(0)));
const bodyFor = (xml) => ({ SAMLResponse: btoa(String.fromCharCode(...new TextEncoder().encode(xml))) });

trace('signature-keyinfo-missing or unreadable: the message says what KeyInfo holds (and nothing is read from it)', async () => {
  const v = okta();
  const xml = xmlOf(v);
  const wrong = { ...configOf(v), idp: { ...configOf(v).idp, certificates: [pem('attacker.crt.pem')] } };
  const without = xml.replace(/<ds:KeyInfo>[\s\S]*?<\/ds:KeyInfo>/, ''); // the Response's own (the Assertion's is under the Response digest)
  assert.not.equal(without, xml);
  const none = (await inspectResponse(wrong, bodyFor(without), optionsOf(v))).checks.find((c) => c.id === 'signature.response');
  assert.match(none.message, /carries no KeyInfo certificate/);
  const garbled = xml.replace(/(<ds:X509Certificate>)[^<]+/, '$1AAAA');
  const unreadable = (await inspectResponse(wrong, bodyFor(garbled), optionsOf(v))).checks.find((c) => c.id === 'signature.response');
  assert.match(unreadable.message, /an X509Certificate that is not a readable certificate/);
  assert.is((await inspectResponse(wrong, bodyFor(garbled), optionsOf(v))).document.signatures[0].keyInfoCertificateSha256.length, 95);
});

trace('a detail that cannot be read is left out; the check still fails with its error', async () => {
  const v = okta();
  const xml = xmlOf(v).replace(/(<saml2:Audience>)/, '$1<b/>');
  const result = await inspectResponse(configOf(v), bodyFor(xml), optionsOf(v));
  const audience = result.checks.find((c) => c.id === 'audience');
  assert.is(audience.status, 'fail');
  assert.is(audience.expected, undefined);
  assert.is(audience.actual, undefined);
  assert.ok(audience.message);
  // The summary reads the text of every Audience anyway, markup and all.
  assert.equal(result.document.audiences, [v.sp.entityId]);
});

trace('no Response Issuer: the issuer check shows it as (none)', async () => {
  const v = okta();
  const xml = xmlOf(v).replace(/<saml2:Issuer[^>]*>[^<]*<\/saml2:Issuer>/, '');
  const result = await inspectResponse(configOf(v), bodyFor(xml), optionsOf(v));
  const issuer = result.checks.find((c) => c.id === 'issuer');
  assert.match(issuer.actual, /^Response \(none\), Assertion "/);
  assert.is(result.document.issuer, null);
});

trace('summarizeResponseXml (the CLI\'s decode): the document\'s claims, every one unverified; bad XML is a SamlError', async () => {
  const v = okta();
  const summary = await summarizeResponseXml(xmlOf(v));
  assert.equal(summary.verified, { response: false, assertion: false });
  assert.is(summary.destination, v.sp.acsUrl);
  assert.is(summary.inResponseTo, v.request_id);
  assert.is(summary.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');
  assert.equal(summary.signatures.map((s) => [s.on, s.signatureAlgorithm]), [['Response', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'], ['Assertion', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256']]);
  const error = await summarizeResponseXml('<x').catch((e) => e);
  assert.instance(error, SamlError);
  assert.is(error.code, 'INVALID_XML');
});

trace.run();
