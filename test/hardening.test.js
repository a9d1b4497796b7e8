// Issue 10's attacks, each end to end through validateResponse on responses signed by the local
// test IdP: identities exactly as signed, every bearer confirmation and AuthnStatement, strict
// dates, no raw attacker text in messages, config changes, prototype keys, replay stores that fail
// closed, RelayState limits, and xml-crypto's InclusiveNamespaces in the enveloped transform.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from './rejects.js';
import { SignedXml } from 'xml-crypto';
import { SamlError, createMemoryReplayStore, validateResponse } from '../dist/index.js';
import { parseDateTime } from '../dist/saml/datetime.js';
import { TEST_IDPS, TEST_SP, NAMEID_FORMAT, buildResponse, generateTestCredentials, resignSignature, signResponse, toPostBody } from '../dist/node/test-idp.js';

const now = new Date('2026-11-22T10:00:00Z');
const [okta, next] = await Promise.all([generateTestCredentials({ commonName: 'test okta' }), generateTestCredentials({ commonName: 'test okta next' })]);
let serial = 0;

function config(overrides = {}) {
  return {
    sp: { ...TEST_SP },
    idp: { entityId: TEST_IDPS.okta.entityId, ssoUrl: TEST_IDPS.okta.ssoUrl, certificates: [okta.certificatePem] },
    replayStore: createMemoryReplayStore(),
    ...overrides,
  };
}

/** A signed Okta-shaped response; `edit` changes the XML text before it is signed. */
function response({ key = okta, spec = {}, edit = (xml) => xml } = {}) {
  serial++;
  const xml = edit(buildResponse({ shape: 'okta', now, responseId: `idR${serial}`, assertionId: `idA${serial}`, ...spec }));
  return signResponse(xml, { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem });
}

function replaceOnce(xml, from, to) {
  assert.is(xml.split(from).length, 2, `expected ${from} once in the test response`);
  return xml.replace(from, to);
}


const validate = (body, cfg = config(), options = { now }) => validateResponse(cfg, body, options);

// 3. Identities exactly as signed -------------------------------------------------------------

const INVISIBLE = { 'U+00A0': '\u00a0', 'U+3000': '\u3000', 'U+FEFF': '\ufeff', 'U+2028': '\u2028', 'U+200B': '\u200b', 'U+0009': '\t' };

test('attack: a NameID padded with a Unicode space or format character is refused, never trimmed into another identity', async () => {
  for (const [name, c] of Object.entries(INVISIBLE)) {
    for (const format of [NAMEID_FORMAT.email, NAMEID_FORMAT.persistent]) {
      const policy = { nameIdFormat: format };
      const error = await rejects(validate(toPostBody(response({ spec: { nameId: `${c}admin@example.com`, nameIdFormat: format } })), config({ policy })), 'NAMEID_INVALID');
      // The test IdP signs through xml-crypto, whose parser reads U+2028 as a line end (XML 1.1's
      // rule; saml-core's parser keeps it, as libxml2 does), so it arrives as U+000A: refused either way.
      assert.ok(error.message.includes(name === 'U+2028' ? 'U+000A' : name), `${name} named in: ${error.message}`);
      assert.not.ok(error.message.includes(c), 'the character is escaped in the message');
    }
  }
});

test('a NameID is returned exactly as signed (the schema trims nothing; U+0020 is kept)', async () => {
  const policy = { nameIdFormat: 'persistent' };
  const result = await validate(toPostBody(response({ spec: { nameId: ' opaque id ', nameIdFormat: NAMEID_FORMAT.persistent } })), config({ policy }));
  assert.is(result.nameId, ' opaque id ');
});

test('attack: an email attribute value padded with U+00A0 is refused, not returned as the email', async () => {
  const policy = { nameIdFormat: 'persistent' };
  const spec = { nameId: 'u-123', nameIdFormat: NAMEID_FORMAT.persistent, attributes: { email: ['\u00a0admin@example.com'] } };
  await rejects(validate(toPostBody(response({ spec })), config({ policy })), 'NAMEID_INVALID', /email attribute value/);
  const clean = await validate(toPostBody(response({ spec: { ...spec, attributes: { email: ['admin@example.com'] } } })), config({ policy }));
  assert.is(clean.email, 'admin@example.com');
});

test('attack: an Audience with a trailing U+00A0 does not match sp.entityId', async () => {
  await rejects(validate(toPostBody(response({ spec: { audiences: [`${TEST_SP.entityId}\u00a0`] } }))), 'AUDIENCE_MISMATCH', /\\u00A0/);
});

test('Audience: XML white space around the URI is collapsed away, as xs:anyURI says', async () => {
  const result = await validate(toPostBody(response({ spec: { audiences: [`\n  ${TEST_SP.entityId}\t\n`] } })));
  assert.is(result.nameId, 'jane.doe@example.com');
});

test('attack: an Issuer with a trailing U+00A0 does not match idp.entityId (Assertion and Response)', async () => {
  const issuer = `${TEST_IDPS.okta.entityId}\u00a0`;
  await rejects(validate(toPostBody(response({ spec: { assertionIssuer: issuer } }))), 'ISSUER_MISMATCH', /Assertion Issuer/);
  await rejects(validate(toPostBody(response({ spec: { responseIssuer: issuer } }))), 'ISSUER_MISMATCH', /Response Issuer/);
  // Not pinned: the two issuers must still agree code point for code point.
  const unpinned = config({ idp: { certificates: [okta.certificatePem] } });
  await rejects(validate(toPostBody(response({ spec: { responseIssuer: issuer } })), unpinned), 'ISSUER_MISMATCH', /agree/);
});

test('attack: Destination and Recipient with a trailing U+00A0 do not match sp.acsUrl', async () => {
  await rejects(validate(toPostBody(response({ spec: { destination: `${TEST_SP.acsUrl}\u00a0` } }))), 'DESTINATION_MISMATCH');
  await rejects(validate(toPostBody(response({ spec: { recipient: `${TEST_SP.acsUrl}\u00a0` } }))), 'RECIPIENT_MISMATCH');
});

// 4. Every bearer confirmation and AuthnStatement; strict dates ---------------------------------

function recordingStore() {
  const calls = [];
  return {
    calls,
    async remember(key, expiresAt) {
      calls.push({ key, expiresAt: expiresAt.getTime(), at: Date.now() });
      return true;
    },
  };
}

test('attack: a second bearer confirmation outlives the replay key (the key is kept until the latest acceptable instant)', async () => {
  const late = '2026-11-22T10:30:00.000Z';
  const edit = (xml) => {
    const confirmation = /<saml2:SubjectConfirmation .*?<\/saml2:SubjectConfirmation>/.exec(xml)[0];
    return replaceOnce(xml, confirmation, confirmation + confirmation.replace(/NotOnOrAfter="[^"]*"/, `NotOnOrAfter="${late}"`));
  };
  const store = recordingStore();
  // Conditions allow until 10:40; the first confirmation ends at 10:05, the second at 10:30.
  const body = toPostBody(response({ spec: { notOnOrAfter: '2026-11-22T10:40:00.000Z' }, edit }));
  await validate(body, config({ replayStore: store }));
  const [{ expiresAt, at }] = store.calls;
  // Kept 30 minutes (to 10:30) plus the 60 s skew, on the store's clock.
  const kept = expiresAt - at;
  assert.ok(Math.abs(kept - (30 * 60_000 + 60_000)) < 5_000, `kept ${kept} ms`);
  // And the second confirmation does keep the assertion acceptable at 10:20.
  assert.is((await validate(body, config(), { now: new Date('2026-11-22T10:20:00Z') })).nameId, 'jane.doe@example.com');
});

test('replay key: Conditions NotOnOrAfter bounds the window when it ends first', async () => {
  const store = recordingStore();
  await validate(toPostBody(response({ spec: { notOnOrAfter: '2026-11-22T10:02:00.000Z' } })), config({ replayStore: store }));
  const [{ expiresAt, at }] = store.calls;
  assert.ok(Math.abs(expiresAt - at - (2 * 60_000 + 60_000)) < 5_000, `kept ${expiresAt - at} ms`);
});

const removeAuthnStatement = (xml) => xml.replace(/<saml2:AuthnStatement .*?<\/saml2:AuthnStatement>/, '');

test('attack: an assertion without an AuthnStatement does not sign anyone in (profile 4.1.4.2)', async () => {
  await rejects(validate(toPostBody(response({ edit: removeAuthnStatement }))), 'INVALID_ASSERTION', /AuthnStatement/);
});

test('attack: a second AuthnStatement whose SessionNotOnOrAfter has passed ends the session', async () => {
  const edit = (xml) => {
    const statement = /<saml2:AuthnStatement .*?<\/saml2:AuthnStatement>/.exec(xml)[0];
    const ended = statement.replace(/SessionNotOnOrAfter="[^"]*"/, 'SessionNotOnOrAfter="2026-11-22T09:00:00.000Z"');
    assert.is.not(ended, statement);
    return replaceOnce(xml, statement, statement + ended);
  };
  await rejects(validate(toPostBody(response({ spec: { sessionNotOnOrAfter: '2026-11-22T18:00:00.000Z' }, edit }))), 'EXPIRED', /SessionNotOnOrAfter/);
  const result = await validate(toPostBody(response({ spec: { sessionNotOnOrAfter: '2026-11-22T18:00:00.000Z' } })));
  assert.is(result.sessionNotOnOrAfter.toISOString(), '2026-11-22T18:00:00.000Z');
});

test('attack: NotOnOrAfter 2026-11-31 is refused, not rolled over to December 1st', async () => {
  await rejects(validate(toPostBody(response({ spec: { notOnOrAfter: '2026-11-31T10:05:00Z' } }))), 'INVALID_ASSERTION', /2026-11-31/);
  await rejects(validate(toPostBody(response({ spec: { subjectConfirmationNotOnOrAfter: '2026-02-29T10:05:00Z' } }))), 'INVALID_ASSERTION', /xs:dateTime/);
});

test('xs:dateTime: calendar fields, leap years, 24:00:00, offsets and fractions as the schema allows', () => {
  const at = (s) => {
    const ms = parseDateTime(s);
    return ms === null ? null : new Date(ms).toISOString();
  };
  const valid = {
    '2026-11-30T23:59:59Z': '2026-11-30T23:59:59.000Z',
    '2024-02-29T00:00:00Z': '2024-02-29T00:00:00.000Z',
    '2000-02-29T12:00:00Z': '2000-02-29T12:00:00.000Z',
    '2026-12-31T24:00:00Z': '2027-01-01T00:00:00.000Z',
    '2026-12-31T24:00:00.000Z': '2027-01-01T00:00:00.000Z',
    '2026-11-22T10:00:00.123456Z': '2026-11-22T10:00:00.123Z',
    '2026-11-22T10:00:00.5Z': '2026-11-22T10:00:00.500Z',
    '2026-11-22T10:00:00+14:00': '2026-11-21T20:00:00.000Z',
    '2026-11-22T10:00:00-05:30': '2026-11-22T15:30:00.000Z',
    '0001-01-01T00:00:00Z': '0001-01-01T00:00:00.000Z',
    '0099-06-01T00:00:00Z': '0099-06-01T00:00:00.000Z',
  };
  for (const [text, iso] of Object.entries(valid)) assert.is(at(text), iso, text);
  const invalid = [
    '2026-11-31T00:00:00Z', '2026-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-01T24:00:01Z', '2026-01-01T24:01:00Z', '2026-01-01T24:00:00.5Z',
    '2026-01-01T25:00:00Z', '2026-01-01T10:60:00Z', '2026-01-01T10:00:60Z', '2026-01-01T10:00:00+14:01', '2026-01-01T10:00:00+15:00',
    '2026-01-01T10:00:00+05:60', '2026-01-01T10:00:00', '2026-01-01T10:00:00z', '0000-01-01T00:00:00Z', '02026-01-01T00:00:00Z',
    '2026-1-01T00:00:00Z', '2026-01-01 10:00:00Z', '2026-01-01T10:00:00.Z', '+2026-01-01T10:00:00Z', ' 2026-01-01T10:00:00Z',
  ];
  for (const text of invalid) assert.is(at(text), null, text);
});

// 5. Messages carry no raw attacker text ------------------------------------------------------

test('attack: a StatusMessage of markup, control characters and 100 KB is quoted, cut and escaped, and said to be unverified', async () => {
  const statusMessage = `<script>alert(1)</script>\u202e\u009b${'A'.repeat(100_000)}`;
  const xml = buildResponse({ shape: 'okta', now, statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder', statusMessage, includeAssertion: false });
  const error = await rejects(validate(toPostBody(xml)), 'STATUS_NOT_SUCCESS', /the unsigned Response says/);
  assert.ok(error.message.length < 1_200, `message of ${error.message.length} characters`);
  assert.not.ok(/[\u202e\u009b]/.test(error.message), 'control and bidi characters escaped');
  assert.ok(error.message.includes('\\u009B'), 'C1 control escaped');
  assert.ok(error.message.includes('\\u202E'), error.message.slice(0, 300));
  assert.ok(error.message.includes('characters in all'), 'the cut is said');
});

test('values read from an unsigned Response are labelled unverified in messages', async () => {
  const xml = buildResponse({ shape: 'okta', now, responseId: 'idU1', assertionId: 'idU2', destination: 'https://evil.example/acs' });
  const assertionOnly = signResponse(xml, { privateKeyPem: okta.privateKeyPem, certificatePem: okta.certificatePem, signResponse: false });
  const error = await rejects(validate(toPostBody(assertionOnly), config({ policy: { requireSignedResponse: false } })), 'DESTINATION_MISMATCH');
  assert.match(error.message, /the unsigned Response says "https:\/\/evil\.example\/acs"/);
  const both = await rejects(validate(toPostBody(response({ spec: { destination: 'https://evil.example/acs' } }))), 'DESTINATION_MISMATCH');
  assert.match(both.message, /got "https:\/\/evil\.example\/acs"/);
});

// 6. Smaller defects --------------------------------------------------------------------------

test('attack: removing a compromised certificate from the same config object takes effect at the next call', async () => {
  const cfg = config({ idp: { entityId: TEST_IDPS.okta.entityId, certificates: [okta.certificatePem, next.certificatePem] } });
  assert.is((await validate(toPostBody(response()), cfg)).nameId, 'jane.doe@example.com');
  cfg.idp.certificates = [next.certificatePem];
  await rejects(validate(toPostBody(response()), cfg), 'SIGNATURE_INVALID');
  cfg.idp.certificates.push(okta.certificatePem);
  assert.is((await validate(toPostBody(response()), cfg)).nameId, 'jane.doe@example.com');
  cfg.idp.certificates.splice(1, 1);
  await rejects(validate(toPostBody(response()), cfg), 'SIGNATURE_INVALID');
});

test('a policy changed on the same config object after first use takes effect', async () => {
  const cfg = config({ policy: { allowIdpInitiated: true } });
  await validate(toPostBody(response()), cfg);
  cfg.policy.allowIdpInitiated = false;
  await rejects(validate(toPostBody(response()), cfg), 'UNSOLICITED_RESPONSE');
});

test('attack: Attributes named __proto__ and constructor are plain keys of a null-prototype record', async () => {
  const attributes = JSON.parse('{"__proto__": ["p"], "constructor": ["c"], "hasOwnProperty": ["h"], "email": ["jane.doe@example.com"]}');
  const result = await validate(toPostBody(response({ spec: { attributes } })));
  assert.is(Object.getPrototypeOf(result.attributes), null);
  assert.equal(Object.keys(result.attributes).sort(), ['__proto__', 'constructor', 'email', 'hasOwnProperty']);
  assert.equal(result.attributes['__proto__'], ['p']);
  assert.equal(result.attributes.constructor, ['c']);
  assert.is({}.polluted, undefined);
  assert.is(Object.prototype.hasOwnProperty.call(Object.prototype, 'p'), false);
});

function storeAnswering(answer) {
  return { remember: async () => (typeof answer === 'function' ? answer() : answer) };
}

test('attack: a replay store answering a truthy non-boolean ("no") does not count as first use', async () => {
  for (const answer of ['no', 1, 'true', {}, null, undefined]) {
    await rejects(validate(toPostBody(response()), config({ replayStore: storeAnswering(answer) })), 'REPLAY_STORE_FAILED', /fails closed/);
  }
  await rejects(validate(toPostBody(response()), config({ replayStore: storeAnswering(false) })), 'REPLAYED');
  assert.is((await validate(toPostBody(response()), config({ replayStore: storeAnswering(true) }))).nameId, 'jane.doe@example.com');
});

test('a replay store that throws or does not answer in time refuses the login (REPLAY_STORE_FAILED)', async () => {
  const throwing = storeAnswering(() => {
    throw new Error('connection refused');
  });
  await rejects(validate(toPostBody(response()), config({ replayStore: throwing })), 'REPLAY_STORE_FAILED', /connection refused/);
  // Answers true, but only after 1.5 s: with a 50 ms timeout the login is refused.
  const slow = { remember: () => new Promise((resolve) => setTimeout(() => resolve(true), 1_500)) };
  await rejects(validate(toPostBody(response()), config({ replayStore: slow, policy: { replayStoreTimeoutMs: 50 } })), 'REPLAY_STORE_FAILED', /50 ms/);
});

test('attack: a replay store throwing a SamlError of another code (REPLAYED, INVALID_INPUT) is still REPLAY_STORE_FAILED; its own REPLAY_STORE_FAILED passes unchanged', async () => {
  for (const code of ['REPLAYED', 'INVALID_INPUT']) {
    const store = storeAnswering(() => {
      throw new SamlError(code, 'from the store');
    });
    await rejects(validate(toPostBody(response()), config({ replayStore: store })), 'REPLAY_STORE_FAILED', /answered with an error \("from the store"\)\. The login is refused/);
  }
  // saml-core/redis names the store and the cause itself: that message reaches the caller as it is.
  const own = new SamlError('REPLAY_STORE_FAILED', 'the Redis replay store (...): no answer to SET within timeoutMs (2000 ms).', 'Check Redis.');
  const error = await rejects(validate(toPostBody(response()), config({ replayStore: storeAnswering(() => Promise.reject(own)) })), 'REPLAY_STORE_FAILED');
  assert.is(error, own);
});

test('attack: RelayState over 80 bytes or with control characters is refused (attacker-controlled)', async () => {
  const ok = await validate(toPostBody(response(), 'r'.repeat(80)));
  assert.is(ok.relayState, 'r'.repeat(80));
  await rejects(validate(toPostBody(response(), 'r'.repeat(81))), 'INVALID_INPUT', /at most 80 bytes.*got 81 bytes/);
  // 27 euro signs are 27 characters but 81 UTF-8 bytes.
  await rejects(validate(toPostBody(response(), '\u20ac'.repeat(27))), 'INVALID_INPUT', /got 81 bytes/);
  await rejects(validate(toPostBody(response(), '/home\r\nSet-Cookie: x=1')), 'INVALID_INPUT', /control characters/);
  const wide = await validate(toPostBody(response(), 'r'.repeat(200)), config({ policy: { maxRelayStateBytes: 200 } }));
  assert.is(wide.relayState.length, 200);
});

test('xml-crypto 6 InclusiveNamespaces inside the enveloped-signature Transform is accepted and ignored', async () => {
  const xml = buildResponse({ shape: 'okta', now, responseId: 'idX1', assertionId: 'idX2' });
  const signed = signWithXmlCrypto(xml);
  const transforms = /<ds:Transforms>.*?<\/ds:Transforms>/.exec(signed)[0];
  assert.match(transforms, /enveloped-signature"><InclusiveNamespaces PrefixList="xs xsi" xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#enveloped-signature"\/>/, 'xml-crypto writes InclusiveNamespaces into the enveloped transform');
  // The same element in the exc-c14n namespace is ignored there too (SignedInfo re-signed).
  const excNamespace = resignSignature(signed, 'idX2', (signedInfo) => {
    const element = signedInfo.getElementsByTagName('ds:Transform')[0].firstChild;
    element.setAttribute('xmlns', 'http://www.w3.org/2001/10/xml-exc-c14n#');
    element.namespaceURI = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  }, { privateKeyPem: okta.privateKeyPem });
  assert.match(excNamespace, /enveloped-signature"><InclusiveNamespaces PrefixList="xs xsi" xmlns="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"/);
  assert.is((await validate(toPostBody(excNamespace), config({ policy: { requireSignedResponse: false } }))).nameId, 'jane.doe@example.com');
  const result = await validate(toPostBody(signed), config({ policy: { requireSignedResponse: false } }));
  assert.is(result.nameId, 'jane.doe@example.com');
});

test('attack: anything else under the enveloped-signature Transform is refused', async () => {
  const signed = signWithXmlCrypto(buildResponse({ shape: 'okta', now, responseId: 'idX3', assertionId: 'idX4' }));
  const policy = { requireSignedResponse: false };
  const enveloped = /<ds:Transform Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#enveloped-signature">(.*?)<\/ds:Transform>/.exec(signed);
  const variants = [
    `${enveloped[1]}<ds:XPath>1</ds:XPath>`,
    '<ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath>',
    enveloped[1].replace('/>', '><x/></InclusiveNamespaces>'),
    enveloped[1] + enveloped[1],
    enveloped[1].replace('<InclusiveNamespaces ', '<Other '),
    enveloped[1].replace('xmldsig#enveloped-signature"', 'xmldsig#"'),
  ];
  for (const inner of variants) {
    const body = toPostBody(signed.replace(enveloped[0], enveloped[0].replace(enveloped[1], inner)));
    await rejects(validate(body, config({ policy })), 'ALGORITHM_NOT_ALLOWED', /enveloped-signature with parameters/);
  }
});

/** Signs the Assertion as xml-crypto 6 does with a PrefixList (the Response stays unsigned). */
function signWithXmlCrypto(xml) {
  const sig = new SignedXml({
    privateKey: okta.privateKeyPem,
    publicCert: okta.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    inclusiveNamespacesPrefixList: ['xs', 'xsi'],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

test.run();
