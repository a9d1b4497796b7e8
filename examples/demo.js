// npm run demo: one SP-initiated login round trip against a local test IdP, then a tampered copy.
// Node-only (it signs with the test IdP in dist/node/); the library itself runs anywhere.
import { createAuthnRequest, validateResponse, SamlError } from '../dist/index.js';
import { TEST_IDPS, TEST_SP, buildResponse, generateTestCredentials, signResponse, toPostBody } from '../dist/node/test-idp.js';

const idp = await generateTestCredentials({ commonName: 'saml-core demo IdP' });
const config = {
  sp: { entityId: TEST_SP.entityId, acsUrl: TEST_SP.acsUrl },
  idp: { entityId: TEST_IDPS.okta.entityId, ssoUrl: TEST_IDPS.okta.ssoUrl, certificates: [idp.certificatePem] },
};

// 1. The SP starts the login: an AuthnRequest for the HTTP-Redirect binding.
const request = await createAuthnRequest(config, { relayState: '/dashboard' });
console.log('1. AuthnRequest', request.id);
console.log('   redirect to', `${request.redirectUrl.slice(0, 110)}…`);

// 2. The test IdP answers like Okta: Assertion signed, then Response signed (RSA-SHA256, exc-c14n).
const xml = buildResponse({
  shape: 'okta',
  now: new Date(),
  inResponseTo: request.id,
  nameId: 'jane.doe@example.com',
  attributes: { firstName: ['Jane'], lastName: ['Doe'], groups: ['Everyone', 'Engineering'] },
});
const signed = signResponse(xml, { privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem });
const body = toPostBody(signed, '/dashboard');
console.log(`2. The IdP POSTs a signed Response to ${TEST_SP.acsUrl} (${body.length} bytes)`);

// 3. The SP validates it.
const login = await validateResponse(config, body, { requestId: request.id });
console.log('3. validateResponse accepted it:');
console.log(JSON.stringify(login, null, 2).replace(/^/gm, '   '));

// 4. A tampered copy: the NameID changed after signing.
const tampered = toPostBody(signed.replace('jane.doe@example.com', 'admin@example.com'), '/dashboard');
try {
  await validateResponse(config, tampered, { requestId: request.id });
  console.log('4. ERROR: the tampered response was accepted');
  process.exitCode = 1;
} catch (error) {
  if (!(error instanceof SamlError)) throw error;
  console.log(`4. The tampered copy (NameID changed to admin@example.com) was rejected: ${error.code}`);
  console.log(`   ${error.message}`);
}
