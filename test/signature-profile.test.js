// Attacks on the signature profile and the protocol rules that a vector alone cannot isolate:
// each response here is valid in every respect but the one the test is named after.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryReplayStore, validateResponse, SamlError } from '../dist/index.js';
import { ALG, TEST_IDPS, TEST_SP, buildResponse, generateTestCredentials, parseXml, resignSignature, serializeXml, signResponse, toPostBody } from '../dist/node/test-idp.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const now = new Date('2026-11-22T10:00:00Z');
const idp = await generateTestCredentials({ commonName: 'signature profile test' });
const keys = { privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem };

const config = (policy = {}) => ({
  sp: { ...TEST_SP },
  idp: { entityId: TEST_IDPS.okta.entityId, certificates: idp.certificatePem },
  policy,
  replayStore: createMemoryReplayStore(),
});

const assertionOnly = { requireSignedResponse: false };
const signedAssertionOnly = (spec = {}) => signResponse(buildResponse({ shape: 'okta', now, assertionId: 'idA', ...spec }), { ...keys, signResponse: false });

async function rejects(xml, code, pattern, { policy = {}, requestId = null } = {}) {
  try {
    await validateResponse(config(policy), toPostBody(xml), { now, requestId });
  } catch (error) {
    assert.instance(error, SamlError, String(error));
    assert.is(error.code, code, error.message);
    assert.match(error.message, pattern);
    return;
  }
  assert.unreachable(`accepted; expected ${code}`);
}

function edit(xml, change) {
  const doc = parseXml(xml);
  change(doc);
  return serializeXml(doc);
}

const signatureOf = (doc, localName) => {
  const parent = doc.getElementsByTagNameNS('*', localName)[0];
  return Array.from(parent.childNodes).find((n) => n.localName === 'Signature' && n.namespaceURI === DS);
};

test('control: the untouched assertion-signed response validates', async () => {
  const result = await validateResponse(config(assertionOnly), toPostBody(signedAssertionOnly()), { now });
  assert.is(result.nameId, 'jane.doe@example.com');
});

test('reference to another element: a Reference URI that is not # + the parent ID is refused', async () => {
  // Re-signed, so digest and signature are valid: only the Reference URI is wrong.
  const xml = resignSignature(signedAssertionOnly(), 'idA', (signedInfo) => {
    signedInfo.getElementsByTagNameNS(DS, 'Reference')[0].setAttribute('URI', '#somewhere-else');
  }, keys);
  await rejects(xml, 'SIGNATURE_INVALID', /Reference URI "#idA"/, { policy: assertionOnly });
});

test('signature wrapping via ds:Object: content hidden in the Signature is refused', async () => {
  const xml = edit(signedAssertionOnly(), (doc) => {
    const signature = signatureOf(doc, 'Assertion');
    const object = doc.createElementNS(DS, 'ds:Object');
    object.appendChild(doc.createTextNode('hidden'));
    signature.appendChild(object);
  });
  await rejects(xml, 'SIGNATURE_INVALID', /exactly SignedInfo, SignatureValue and an optional KeyInfo/, { policy: assertionOnly });
});

test('comment-preserving canonicalization in the Reference (WithComments transform) is refused', async () => {
  const xml = resignSignature(signedAssertionOnly(), 'idA', (signedInfo) => {
    const transforms = signedInfo.getElementsByTagNameNS(DS, 'Transform');
    transforms[1].setAttribute('Algorithm', 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments');
    while (transforms[1].firstChild) transforms[1].removeChild(transforms[1].firstChild);
  }, keys);
  await rejects(xml, 'ALGORITHM_NOT_ALLOWED', /WithComments/, { policy: assertionOnly });
});

test('comment-preserving canonicalization of SignedInfo (WithComments) is refused', async () => {
  const xml = resignSignature(signedAssertionOnly(), 'idA', (signedInfo) => {
    signedInfo.getElementsByTagNameNS(DS, 'CanonicalizationMethod')[0].setAttribute('Algorithm', 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments');
  }, keys);
  await rejects(xml, 'ALGORITHM_NOT_ALLOWED', /canonicalization "http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#WithComments"/, { policy: assertionOnly });
});

test('transform list: the canonicalization alone, without enveloped-signature first, is refused', async () => {
  const xml = resignSignature(signedAssertionOnly(), 'idA', (signedInfo) => {
    const transforms = signedInfo.getElementsByTagNameNS(DS, 'Transform');
    transforms[0].parentNode.removeChild(transforms[0]);
  }, keys);
  await rejects(xml, 'ALGORITHM_NOT_ALLOWED', /transform list/, { policy: assertionOnly });
});

test('assertion relocation: a signed Assertion moved into Extensions is refused', async () => {
  const xml = edit(signedAssertionOnly(), (doc) => {
    const response = doc.documentElement;
    const assertion = doc.getElementsByTagNameNS('*', 'Assertion')[0];
    const extensions = doc.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'saml2p:Extensions');
    response.insertBefore(extensions, response.firstChild.nextSibling);
    extensions.appendChild(assertion);
  });
  await rejects(xml, 'INVALID_ASSERTION', /direct child of the Response/, { policy: assertionOnly });
});

test('InResponseTo: a Response answering another request is refused even when the confirmation matches', async () => {
  const xml = signResponse(buildResponse({ shape: 'okta', now, inResponseTo: '_other', subjectConfirmationInResponseTo: '_mine' }), keys);
  await rejects(xml, 'IN_RESPONSE_TO_MISMATCH', /Response InResponseTo/, { requestId: '_mine' });
});

test('InResponseTo: a solicited Response is refused where no request is pending (login CSRF)', async () => {
  const xml = signResponse(buildResponse({ shape: 'okta', now, inResponseTo: '_someone-elses', subjectConfirmationInResponseTo: null }), keys);
  await rejects(xml, 'IN_RESPONSE_TO_MISMATCH', /no InResponseTo on the Response/);
});

test('audience: an assertion without any AudienceRestriction is refused', async () => {
  const xml = signResponse(buildResponse({ shape: 'okta', now, audiences: [] }), keys);
  await rejects(xml, 'AUDIENCE_MISMATCH', /has none/);
});

test('signature algorithm: SHA-1 is accepted only with policy.allowSha1', async () => {
  const xml = signResponse(buildResponse({ shape: 'okta', now }), { ...keys, signatureAlgorithm: ALG.rsaSha1, digestAlgorithm: ALG.sha1 });
  await rejects(xml, 'ALGORITHM_NOT_ALLOWED', /rsa-sha1/);
  const result = await validateResponse(config({ allowSha1: true }), toPostBody(xml), { now });
  assert.is(result.nameId, 'jane.doe@example.com');
});

test.run();
