// The user profile read from the verified assertion under each IdP's well-known attribute names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryReplayStore, validateResponse } from '../dist/index.js';
import { readProfile, PROFILE_ATTRIBUTES } from '../dist/saml/profile.js';
import { CLAIM_NAMESPACES, DEFAULT_ATTRIBUTES, NAMEID_FORMAT, TEST_IDPS, TEST_SP, buildResponse, generateTestCredentials, signResponse, toPostBody } from '../dist/node/test-idp.js';

const now = new Date('2026-11-22T10:00:00Z');
const key = await generateTestCredentials({ commonName: 'profile idp' });
const XMLSOAP = CLAIM_NAMESPACES.xmlsoap;

async function login(shape, spec = {}, policy = {}) {
  const xml = buildResponse({ shape, now, ...spec });
  const body = toPostBody(signResponse(xml, { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem }));
  const idp = TEST_IDPS[shape];
  return validateResponse({ sp: { ...TEST_SP }, idp: { entityId: idp.entityId, certificates: [key.certificatePem] }, policy, replayStore: createMemoryReplayStore() }, body, { now });
}

test('profile: Okta names (email, firstName, lastName, groups) from the signed assertion', async () => {
  const result = await login('okta', { attributes: { ...DEFAULT_ATTRIBUTES.okta, groups: ['Everyone', 'Admins', 'Everyone'] } });
  assert.equal(result.profile, { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', displayName: null, groups: ['Everyone', 'Admins'] });
});

test('profile: Microsoft Entra ID claim URIs', async () => {
  const result = await login('azure');
  assert.equal(result.profile, { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', displayName: 'Jane Doe', groups: [] });
  const groups = await login('azure', { attributes: { ...DEFAULT_ATTRIBUTES.azure, 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': ['5e1a-group-id'] } });
  assert.equal(groups.profile.groups, ['5e1a-group-id']);
});

test('profile: an Entra ID guest\'s #EXT# UPN is not the email when a real email claim exists', async () => {
  const upn = 'jane.doe_partner.example#EXT#@contoso.onmicrosoft.com';
  const spec = { nameId: upn, attributes: { [`${XMLSOAP}/emailaddress`]: ['jane.doe@partner.example'], [`${XMLSOAP}/name`]: [upn] } };
  const result = await login('azure', spec);
  assert.is(result.nameId, upn);
  assert.is(result.profile.email, 'jane.doe@partner.example');
  // With no other email, the UPN is all there is (it is a valid address).
  assert.is(readProfile(Object.assign(Object.create(null), {}), upn, true).email, upn);
});

test('profile: AD FS, OneLogin, Google and Shibboleth names; case-insensitive; null where absent', () => {
  const cases = [
    [{ [`${XMLSOAP}/emailaddress`]: ['a@x.example'], 'http://schemas.xmlsoap.org/claims/Group': ['Domain Users'] }, { email: 'a@x.example', groups: ['Domain Users'] }],
    [{ 'User.email': ['b@x.example'], 'User.FirstName': ['Bo'], 'User.LastName': ['Li'], memberOf: ['eng'] }, { email: 'b@x.example', firstName: 'Bo', lastName: 'Li', groups: ['eng'] }],
    [{ EMAIL: ['c@x.example'], FirstName: ['Cy'] }, { email: 'c@x.example', firstName: 'Cy' }],
    [
      { 'urn:oid:0.9.2342.19200300.100.1.3': ['d@uni.example'], 'urn:oid:2.5.4.42': ['Di'], 'urn:oid:2.5.4.4': ['Do'], 'urn:oid:2.16.840.1.113730.3.1.241': ['Di Do'], 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1': ['staff', 'lib'] },
      { email: 'd@uni.example', firstName: 'Di', lastName: 'Do', displayName: 'Di Do', groups: ['staff', 'lib'] },
    ],
    [{ mail: ['not an email'] }, {}],
  ];
  const empty = { email: null, firstName: null, lastName: null, displayName: null, groups: [] };
  for (const [attributes, expected] of cases) assert.equal(readProfile(attributes, 'opaque', false), { ...empty, ...expected }, JSON.stringify(attributes));
  for (const names of Object.values(PROFILE_ATTRIBUTES)) assert.ok(names.length >= 4);
});

test('profile: never from an unverified element: an attribute added after signing breaks the signature', async () => {
  const xml = buildResponse({ shape: 'okta', now, nameIdFormat: NAMEID_FORMAT.persistent, nameId: 'u1' });
  const signed = signResponse(xml, { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem });
  const injected = signed.replace('<saml2:Attribute Name="firstName"', '<saml2:Attribute Name="groups"><saml2:AttributeValue>Admins</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="firstName"');
  assert.is.not(injected, signed);
  try {
    await validateResponse({ sp: { ...TEST_SP }, idp: { entityId: TEST_IDPS.okta.entityId, certificates: [key.certificatePem] }, policy: { nameIdFormat: 'any' }, replayStore: createMemoryReplayStore() }, toPostBody(injected), { now });
    assert.unreachable('accepted an injected attribute');
  } catch (error) {
    assert.is(error.code, 'SIGNATURE_INVALID');
  }
});

test.run();
