// validateResponse end to end on responses from the local test IdP: options, certificates,
// rollover, signature policy, and robustness (every failure a SamlError, whatever the bytes).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from './rejects.js';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createMemoryReplayStore, validateResponse, SamlError } from '../dist/index.js';
import { TEST_IDPS, TEST_SP, buildResponse, generateTestCredentials, signResponse, toPostBody } from '../dist/node/test-idp.js';

const now = new Date('2026-11-22T10:00:00Z');
const [okta, next, small] = await Promise.all([
  generateTestCredentials({ commonName: 'test okta' }),
  generateTestCredentials({ commonName: 'test okta next' }),
  generateTestCredentials({ commonName: 'test small', bits: 1024 }),
]);

function config(overrides = {}) {
  return {
    sp: { ...TEST_SP },
    idp: { entityId: TEST_IDPS.okta.entityId, ssoUrl: TEST_IDPS.okta.ssoUrl, certificates: [okta.certificatePem] },
    replayStore: createMemoryReplayStore(),
    ...overrides,
  };
}

function response({ key = okta, spec = {}, sign = {} } = {}) {
  const xml = buildResponse({ shape: 'okta', now, ...spec });
  return signResponse(xml, { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem, ...sign });
}


test('a response signed by the IdP validates and returns the signed values', async () => {
  const result = await validateResponse(config(), toPostBody(response(), 'state-1'), { now });
  assert.is(result.nameId, 'jane.doe@example.com');
  assert.is(result.email, 'jane.doe@example.com');
  assert.is(result.issuer, TEST_IDPS.okta.entityId);
  assert.is(result.relayState, 'state-1');
  assert.is(result.inResponseTo, null);
  assert.instance(result.notOnOrAfter, Date);
});

test('certificate rollover: either configured certificate verifies', async () => {
  const both = config({ idp: { entityId: TEST_IDPS.okta.entityId, certificates: [okta.certificatePem, next.certificatePem] } });
  assert.is((await validateResponse(both, toPostBody(response({ key: next })), { now })).nameId, 'jane.doe@example.com');
  assert.is((await validateResponse(both, toPostBody(response({ key: okta, spec: { assertionId: 'id2', responseId: 'id3' } })), { now })).nameId, 'jane.doe@example.com');
  await rejects(validateResponse(config(), toPostBody(response({ key: next })), { now }), 'SIGNATURE_INVALID', /configured IdP certificate/);
});

test('keyinfo substitution: a certificate in KeyInfo is never trusted', async () => {
  // Signed by `next`, whose certificate travels in KeyInfo; only `okta` is configured.
  await rejects(validateResponse(config(), toPostBody(response({ key: next })), { now }), 'SIGNATURE_INVALID');
});

test('config: a 1024-bit IdP key is refused under the default policy, allowed by minRsaKeyBits 1024', async () => {
  const cfg = config({ idp: { entityId: TEST_IDPS.okta.entityId, certificates: small.certificatePem } });
  await rejects(validateResponse(cfg, toPostBody(response({ key: small })), { now }), 'CONFIG_INVALID', /1024-bit RSA key; at least 2048/);
  const relaxed = { ...cfg, policy: { minRsaKeyBits: 1024 } };
  assert.is((await validateResponse(relaxed, toPostBody(response({ key: small })), { now })).nameId, 'jane.doe@example.com');
});

test('config: bad certificates are CONFIG_INVALID saying what is wrong', async () => {
  const withCert = (certificates) => config({ idp: { certificates } });
  const body = toPostBody(response());
  await rejects(validateResponse(withCert('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), body, { now }), 'CONFIG_INVALID', /not a parsable X\.509/);
  await rejects(validateResponse(withCert(okta.privateKeyPem), body, { now }), 'CONFIG_INVALID', /private key/);
  await rejects(validateResponse(withCert('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----'), body, { now }), 'CONFIG_INVALID', /base64/);
  await rejects(validateResponse(withCert('-----BEGIN CERTIFICATE-----\nAAAA\n-----END PUBLIC KEY-----'), body, { now }), 'CONFIG_INVALID', /PEM block/);
  await rejects(validateResponse(withCert(okta.certificatePem + next.certificatePem), body, { now }), 'CONFIG_INVALID', /one certificate per entry/);
  const ec = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=ec', notBefore: now, notAfter: new Date('2030-01-01'),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys: await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']),
  });
  await rejects(validateResponse(withCert(ec.toString('pem')), body, { now }), 'CONFIG_INVALID', /only RSA/);
});

test('config: a bare base64 certificate (no PEM armour) is accepted', async () => {
  const bare = okta.certificatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const cfg = config({ idp: { entityId: TEST_IDPS.okta.entityId, certificates: bare } });
  assert.is((await validateResponse(cfg, toPostBody(response()), { now })).nameId, 'jane.doe@example.com');
});

test('options: now and requestId are checked', async () => {
  const body = toPostBody(response());
  await rejects(validateResponse(config(), body, { now: new Date('x') }), 'INVALID_INPUT', /options\.now/);
  await rejects(validateResponse(config(), body, { now: '2026-11-22' }), 'INVALID_INPUT', /options\.now/);
  await rejects(validateResponse(config(), body, { now, requestId: [] }), 'INVALID_INPUT', /requestId/);
  await rejects(validateResponse(config(), body, { now, requestId: 42 }), 'INVALID_INPUT', /requestId/);
  await rejects(validateResponse(config(), body, null), 'INVALID_INPUT', /options/);
});

test('SP-initiated: any of several pending request IDs is accepted', async () => {
  const body = toPostBody(response({ spec: { inResponseTo: '_req2' } }));
  const result = await validateResponse(config(), body, { now, requestId: ['_req1', '_req2'] });
  assert.is(result.inResponseTo, '_req2');
});

test('signature policy: relaxing one signature never allows none', async () => {
  const unsigned = toPostBody(buildResponse({ shape: 'okta', now }));
  const relaxed = config({ policy: { requireSignedResponse: false, requireSignedAssertion: false } });
  await rejects(validateResponse(relaxed, unsigned, { now }), 'SIGNATURE_MISSING', /Neither/);
});

test('signature policy: a present signature must verify even where the policy does not require it', async () => {
  const signed = response({ sign: { signAssertion: false } }).replace('jane.doe@example.com', 'eve@example.com');
  const cfg = config({ policy: { requireSignedResponse: false, requireSignedAssertion: false } });
  await rejects(validateResponse(cfg, toPostBody(signed), { now }), 'SIGNATURE_INVALID');
});

test('robustness: a single-byte corruption anywhere is rejected with a SamlError or changes nothing returned', async () => {
  const xml = response();
  const cfg = config({ replayStore: { remember: async () => true } });
  const original = JSON.stringify(await validateResponse(cfg, toPostBody(xml), { now }));
  let rejected = 0;
  let tried = 0;
  for (let i = 0; i < xml.length; i += 3, tried++) {
    const corrupted = xml.slice(0, i) + String.fromCharCode((xml.charCodeAt(i) + 1) % 128) + xml.slice(i + 1);
    try {
      const result = await validateResponse(cfg, toPostBody(corrupted), { now });
      // Accepted only where no signature covers the byte (the Response's KeyInfo, never read) or
      // where canonicalization drops it (an unused namespace declaration): the values are the same.
      assert.is(JSON.stringify(result), original, `offset ${i} (${JSON.stringify(xml.slice(i - 20, i + 20))}) changed the result`);
    } catch (error) {
      if (!(error instanceof SamlError)) assert.unreachable(`offset ${i}: ${error}`);
      rejected++;
    }
  }
  assert.ok(rejected > tried * 0.8, `only ${rejected} of ${tried} corruptions were rejected`);
});

test('robustness: hostile bodies never throw anything but a SamlError', async () => {
  const bodies = ['', 'SAMLResponse=', 'SAMLResponse=%', '%%%', 'SAMLResponse=' + 'A'.repeat(100), { SAMLResponse: '' }, {}, [], new URLSearchParams(), 'SAMLResponse=PHg+', 'SAMLResponse=PD94bWw/Pg=='];
  for (const body of bodies) {
    try {
      await validateResponse(config(), body, { now });
      assert.unreachable(`accepted ${JSON.stringify(body)}`);
    } catch (error) {
      assert.instance(error, SamlError, `${JSON.stringify(body)}: ${error}`);
    }
  }
});

test('a lost pending request ID (InResponseTo present, no requestId) names the likely cause: the session cookie', async () => {
  const body = toPostBody(response({ spec: { inResponseTo: '_req9' } }));
  const error = await rejects(validateResponse(config(), body, { now }), 'IN_RESPONSE_TO_MISMATCH', /got "_req9"/);
  assert.match(error.message, /most likely the session cookie holding it was not sent with the IdP's cross-site POST/);
  assert.match(error.hint, /SameSite=None; Secure/);
  // A wrong pending ID is another cause (another login attempt), and says so.
  const other = await rejects(validateResponse(config(), body, { now, requestId: '_req1' }), 'IN_RESPONSE_TO_MISMATCH', /"_req1"/);
  assert.not.match(other.message, /cookie/);
});

test('hints are apart from the message, and name only the IdP the issuer identifies', async () => {
  const body = toPostBody(response({ spec: { audiences: ['https://other.example/sp'] } }));
  // Okta's issuer (idp.entityId http://www.okta.com/...): only Okta's setting.
  const okta1 = await rejects(validateResponse(config(), body, { now }), 'AUDIENCE_MISMATCH');
  assert.is(okta1.hint, 'Set the IdP\'s audience (Okta: "Audience URI (SP Entity ID)") to exactly sp.entityId.');
  assert.not.ok(okta1.message.includes(okta1.hint), 'the message does not repeat the hint');
  // An IdP saml-core does not recognise: both names, the product called Microsoft Entra ID.
  const other = config({ idp: { entityId: 'https://idp.example.org/saml', certificates: [okta.certificatePem] } });
  const unknownIssuer = toPostBody(response({ spec: { issuer: 'https://idp.example.org/saml', audiences: ['https://other.example/sp'] } }));
  const generic = await rejects(validateResponse(other, unknownIssuer, { now }), 'AUDIENCE_MISMATCH');
  assert.match(generic.hint, /\(Okta: "Audience URI \(SP Entity ID\)"; Microsoft Entra ID: "Identifier \(Entity ID\)"\)/);
  // Entra ID's issuer (sts.windows.net), read from the document when idp.entityId is not set.
  const entraIssuer = 'https://sts.windows.net/0d2a6ec6-1b45-4f3c-9a2c-2c5e7f1a0b9e/';
  const entra = config({ idp: { certificates: [okta.certificatePem] } });
  const fromEntra = toPostBody(response({ spec: { issuer: entraIssuer, audiences: ['https://other.example/sp'] } }));
  const entraError = await rejects(validateResponse(entra, fromEntra, { now }), 'AUDIENCE_MISMATCH');
  assert.is(entraError.hint, 'Set the IdP\'s audience (Microsoft Entra ID: "Identifier (Entity ID)") to exactly sp.entityId.');
});

test.run();
