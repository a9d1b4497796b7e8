// checkConfig (the "Update" step: what the admin pasted, before a round trip) and expired IdP
// certificates: accepted by default with a warning, refused with policy.rejectExpiredCertificates,
// named in signature errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from './rejects.js';
import { createHash, X509Certificate } from 'node:crypto';
import { checkConfig, createMemoryReplayStore, validateResponse } from '../dist/index.js';
import { TEST_IDPS, TEST_SP, buildResponse, generateTestCredentials, signResponse, toPostBody } from '../dist/node/test-idp.js';

const now = new Date('2026-11-22T10:00:00Z');
const [current, expired, soon] = await Promise.all([
  generateTestCredentials({ commonName: 'okta current' }),
  generateTestCredentials({ commonName: 'okta retired', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') }),
  generateTestCredentials({ commonName: 'okta ending', notAfter: new Date('2026-12-10T00:00:00Z') }),
]);

const config = (certificates, more = {}) => ({
  sp: { ...TEST_SP },
  idp: { entityId: TEST_IDPS.okta.entityId, ssoUrl: TEST_IDPS.okta.ssoUrl, certificates },
  replayStore: createMemoryReplayStore(),
  ...more,
});

let serial = 0;
const signedBy = (key) => {
  serial++;
  const xml = buildResponse({ shape: 'okta', now, responseId: `idC${serial}`, assertionId: `idD${serial}` });
  return toPostBody(signResponse(xml, { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem }));
};


test('checkConfig: each certificate with subject, SHA-256 fingerprint, validity and key size (checked against node:crypto)', async () => {
  const { certificates, warnings } = await checkConfig(config([current.certificatePem]), { now });
  assert.equal(warnings, []);
  const [info] = certificates;
  const oracle = new X509Certificate(current.certificatePem);
  assert.is(info.index, 0);
  assert.is(info.subject, 'CN=okta current');
  assert.is(info.issuer, 'CN=okta current');
  assert.is(info.sha256Fingerprint, oracle.fingerprint256);
  assert.is(info.sha256Fingerprint.replaceAll(':', '').toLowerCase(), createHash('sha256').update(oracle.raw).digest('hex'));
  assert.is(info.notBefore.getTime(), new Date(oracle.validFrom).getTime());
  assert.is(info.notAfter.getTime(), new Date(oracle.validTo).getTime());
  assert.is(info.keyBits, 2048);
  assert.is(info.expired, false);
});

test('checkConfig: warnings for an expired certificate, one expiring within 30 days, no idp.entityId, no ssoUrl, an http: ACS URL', async () => {
  const cfg = config([expired.certificatePem, soon.certificatePem]);
  cfg.sp.acsUrl = 'http://app.example.com/saml/acs';
  delete cfg.idp.entityId;
  delete cfg.idp.ssoUrl;
  const { certificates, warnings } = await checkConfig(cfg, { now });
  assert.equal(certificates.map((c) => c.expired), [true, false]);
  assert.equal(
    warnings.map((w) => [w.code, w.field]),
    [
      ['CERTIFICATE_EXPIRED', 'idp.certificates[0]'],
      ['CERTIFICATE_EXPIRES_SOON', 'idp.certificates[1]'],
      ['IDP_ENTITY_ID_MISSING', 'idp.entityId'],
      ['IDP_SSO_URL_MISSING', 'idp.ssoUrl'],
      ['ACS_URL_NOT_HTTPS', 'sp.acsUrl'],
    ],
  );
  assert.match(warnings[0].message, /expired on 2026-01-01T00:00:00\.000Z/);
  assert.match(warnings[1].message, /in 18 days/);
});

test('checkConfig: errors are CONFIG_INVALID, as validateResponse would throw them', async () => {
  await rejects(checkConfig(config(['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'])), 'CONFIG_INVALID', /idp\.certificates\[0\]/);
  await rejects(checkConfig(config([current.certificatePem], { policy: { minRsaKeyBits: 4096 } })), 'CONFIG_INVALID', /2048-bit/);
  await rejects(checkConfig({ sp: TEST_SP }), 'CONFIG_INVALID', /idp must be an object/);
  await rejects(checkConfig(config([current.certificatePem]), { now: 'today' }), 'INVALID_INPUT', /options\.now/);
});

test('an expired IdP certificate still verifies by default (SAML uses it as a key carrier)', async () => {
  const result = await validateResponse(config([expired.certificatePem]), signedBy(expired), { now });
  assert.is(result.nameId, 'jane.doe@example.com');
});

test('attack: policy.rejectExpiredCertificates refuses a response signed with a retired (expired) key', async () => {
  const policy = { rejectExpiredCertificates: true };
  await rejects(validateResponse(config([expired.certificatePem], { policy }), signedBy(expired), { now }), 'CONFIG_INVALID', /no configured IdP certificate is valid/);
  // With the current certificate beside it, only the current one is used.
  await rejects(validateResponse(config([expired.certificatePem, current.certificatePem], { policy }), signedBy(expired), { now }), 'SIGNATURE_INVALID');
  const ok = await validateResponse(config([expired.certificatePem, current.certificatePem], { policy }), signedBy(current), { now });
  assert.is(ok.nameId, 'jane.doe@example.com');
});

test('a signature that does not verify names the expired configured certificate (the likeliest cause)', async () => {
  const error = await rejects(validateResponse(config([expired.certificatePem]), signedBy(current), { now }), 'SIGNATURE_INVALID');
  assert.match(error.message, /the configured IdP certificate "CN=okta retired" \(SHA-256 [0-9A-F:]{95}, expired on 2026-01-01\)/);
  const fresh = await rejects(validateResponse(config([soon.certificatePem]), signedBy(current), { now }), 'SIGNATURE_INVALID');
  assert.not.match(fresh.message, /expired/);
});

test.run();
