// EncryptedAssertion decryption (issue 14, docs/encryption.md): the key configuration, the strict
// structure, the order (Response signature before decryption), one DECRYPTION_FAILED for every
// failure, the plaintext through the one strict parser, and the decrypted Assertion on the plain path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { rejects } from './rejects.js';
import { checkConfig, createMemoryReplayStore, validateResponse } from '../dist/index.js';
import { TEST_IDPS, TEST_SP, buildResponse, findAssertion, parseXml, serializeXml, signResponse, toPostBody } from '../dist/node/test-idp.js';
import { encryptedAssertion, XENC } from '../vectors/encrypt.js';
import { OWN_VECTORS, readVectors } from './vector-files.js';
import { runVector } from './vector-runner.js';

const now = new Date('2026-11-22T10:00:30Z');
const keyFile = (name) => readFileSync(new URL(`../vectors/keys/${name}`, import.meta.url), 'utf8');
const okta = { privateKeyPem: keyFile('okta.key.pem'), certificatePem: keyFile('okta.crt.pem') };
const sp = { privateKeyPem: keyFile('sp-encryption.key.pem'), certificatePem: keyFile('sp-encryption.crt.pem') };
const small = { privateKeyPem: keyFile('small-1024.key.pem'), certificatePem: keyFile('small-1024.crt.pem') };
const attacker = { privateKeyPem: keyFile('attacker.key.pem'), certificatePem: keyFile('attacker.crt.pem') };

function config({ policy = {}, decryptionKeys = sp.privateKeyPem, spExtra = {} } = {}) {
  return {
    sp: { ...TEST_SP, ...(decryptionKeys === null ? {} : { decryptionKeys }), ...spExtra },
    idp: { entityId: TEST_IDPS.okta.entityId, ssoUrl: TEST_IDPS.okta.ssoUrl, certificates: [okta.certificatePem] },
    policy,
    replayStore: createMemoryReplayStore(),
  };
}

let counter = 0;
/**
 * A response whose (signed) Assertion is replaced by `encrypted(assertionXml)` (default: an Okta-shaped
 * EncryptedAssertion to the SP key), then optionally edited as text and the Response signed.
 */
function encryptedXml({ spec = {}, encryption = {}, signAssertion = true, signTheResponse = true, edit = (x) => x, encrypted } = {}) {
  const n = ++counter;
  const xml = buildResponse({ shape: 'okta', now: new Date('2026-11-22T10:00:00Z'), responseId: `idresp${n}`, assertionId: `idassert${n}`, ...spec });
  const inner = signAssertion ? signResponse(xml, { ...okta, signResponse: false }) : xml;
  const doc = parseXml(inner);
  const assertion = findAssertion(doc);
  const markup = (encrypted ?? ((a) => encryptedAssertion(a, { certificatePem: sp.certificatePem, seed: `test-${n}`, ...encryption })))(serializeXml(assertion));
  assertion.parentNode.replaceChild(doc.importNode(parseXml(markup).documentElement, true), assertion);
  const out = edit(serializeXml(doc));
  return signTheResponse ? signResponse(out, { ...okta, signAssertion: false }) : out;
}

const validate = (xml, cfg = config()) => validateResponse(cfg, toPostBody(xml), { now });
const ASSERTION_SIGNED_ONLY = { requireSignedResponse: false };
const ONE_MESSAGE = 'The EncryptedAssertion could not be decrypted into one saml:Assertion with the configured sp.decryptionKeys.';

test('an encrypted Okta assertion is decrypted and validated like a plain one', async () => {
  const result = await validate(encryptedXml());
  assert.is(result.nameId, 'jane.doe@example.com');
  assert.equal(result.attributes.firstName, ['Jane']);
});

test('every content algorithm and key transport accepted: AES-128/192/256-CBC and -GCM, 3DES when allowed, RSA-OAEP SHA-1 and SHA-256', async () => {
  for (const content of ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-gcm', 'aes192-gcm', 'aes256-gcm']) {
    for (const transport of ['rsa-oaep-mgf1p', 'rsa-oaep-sha256']) {
      assert.is((await validate(encryptedXml({ encryption: { content, transport } }))).nameId, 'jane.doe@example.com', `${content} ${transport}`);
    }
  }
  assert.is((await validate(encryptedXml({ encryption: { content: 'tripledes-cbc' } }), config({ policy: { allowTripleDes: true } }))).nameId, 'jane.doe@example.com');
});

test('without sp.decryptionKeys an EncryptedAssertion is ENCRYPTED_ASSERTION_UNSUPPORTED, with the hint to configure one', async () => {
  const error = await rejects(validate(encryptedXml(), config({ decryptionKeys: null })), 'ENCRYPTED_ASSERTION_UNSUPPORTED', /no sp\.decryptionKeys/);
  assert.match(error.hint, /sp\.decryptionKeys/);
});

test('config: a certificate, a public key, an encrypted PEM, a small key or junk as sp.decryptionKeys is CONFIG_INVALID naming the problem', async () => {
  const xml = encryptedXml();
  const publicPem = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey;
  const encryptedPem = createPrivateKey(sp.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });
  const cases = [
    [sp.certificatePem, /is a certificate; decryption needs the SP's private key/],
    [publicPem, /is a public key/],
    [encryptedPem, /encrypted \(passphrase-protected\) PEM/],
    [createPrivateKey(sp.privateKeyPem).export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'x' }), /encrypted \(passphrase-protected\) PEM/],
    [small.privateKeyPem, /is a 1024-bit RSA key; at least 2048 bits are required \(policy\.minRsaKeyBits\)/],
    ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', /not an RSA private key that can be imported/],
    ['-----BEGIN PRIVATE KEY-----\n%%%%\n-----END PRIVATE KEY-----', /not valid base64/],
    ['not a pem', /not one well-formed PEM block/],
    [`${sp.privateKeyPem}\n${sp.privateKeyPem}`, /holds 2 PEM blocks/],
    ['-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----', /PEM "EC PARAMETERS" block/],
  ];
  for (const [pem, pattern] of cases) await rejects(validate(xml, config({ decryptionKeys: [pem] })), 'CONFIG_INVALID', pattern);
  for (const bad of [[], [''], 42, ['  ']]) await rejects(validate(xml, config({ decryptionKeys: bad })), 'CONFIG_INVALID', /sp\.decryptionKeys must be/);
  // The same small key passes when the floor is lowered knowingly.
  await rejects(validate(xml, config({ decryptionKeys: small.privateKeyPem, policy: { minRsaKeyBits: 1024 } })), 'DECRYPTION_FAILED');
  // The index names the bad entry of a rollover list.
  await rejects(validate(xml, config({ decryptionKeys: [sp.privateKeyPem, sp.certificatePem] })), 'CONFIG_INVALID', /sp\.decryptionKeys\[1\]/);
});

test('config: a bad decryption key is CONFIG_INVALID before any encrypted response, in checkConfig too', async () => {
  const plain = signResponse(buildResponse({ shape: 'okta', now: new Date('2026-11-22T10:00:00Z'), responseId: 'idplainr', assertionId: 'idplaina' }), okta);
  await rejects(validate(plain, config({ decryptionKeys: sp.certificatePem })), 'CONFIG_INVALID', /sp\.decryptionKeys\[0\] is a certificate/);
  await rejects(checkConfig(config({ decryptionKeys: small.privateKeyPem })), 'CONFIG_INVALID', /1024-bit RSA key/);
  assert.ok((await checkConfig(config())).certificates.length === 1);
});

test('config: a PKCS#1 key in any line wrapping, and sp.encryptionCertificate checked as one PEM certificate', async () => {
  const pkcs1 = createPrivateKey(sp.privateKeyPem).export({ type: 'pkcs1', format: 'pem' });
  const body = pkcs1.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const oneLine = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
  const crlf = pkcs1.replace(/\n/g, '\r\n');
  for (const pem of [pkcs1, oneLine, crlf]) assert.is((await validate(encryptedXml(), config({ decryptionKeys: pem }))).nameId, 'jane.doe@example.com');
  assert.is((await validate(encryptedXml(), config({ spExtra: { encryptionCertificate: sp.certificatePem } }))).nameId, 'jane.doe@example.com');
  await rejects(validate(encryptedXml(), config({ spExtra: { encryptionCertificate: sp.privateKeyPem } })), 'CONFIG_INVALID', /sp\.encryptionCertificate must be one certificate \(PEM\), the certificate of sp\.decryptionKeys, and it is a private key/);
});

test('rsa-1_5 key transport: policy.allowRsa15KeyTransport true is CONFIG_INVALID saying why; false is accepted', async () => {
  await rejects(validate(encryptedXml(), config({ policy: { allowRsa15KeyTransport: true } })), 'CONFIG_INVALID', /never decrypts RSA PKCS#1 v1\.5 key transport/);
  assert.is((await validate(encryptedXml(), config({ policy: { allowRsa15KeyTransport: false } }))).nameId, 'jane.doe@example.com');
  await rejects(validate(encryptedXml(), config({ policy: { allowRsa15KeyTransport: 'yes' } })), 'CONFIG_INVALID', /allowRsa15KeyTransport must be true or false/);
});

test('bleichenbacher: rsa-1_5 key transport is refused before any decryption', async () => {
  await rejects(validate(encryptedXml({ encryption: { transport: 'rsa-1_5' } })), 'ALGORITHM_NOT_ALLOWED', /PKCS#1 v1\.5 key transport/);
});

test('3des downgrade: tripledes-cbc is refused unless policy.allowTripleDes', async () => {
  await rejects(validate(encryptedXml({ encryption: { content: 'tripledes-cbc' } })), 'ALGORITHM_NOT_ALLOWED', /tripledes-cbc/);
  await rejects(validate(encryptedXml({ encryption: { content: 'tripledes-cbc' } }), config({ policy: { allowTripleDes: 1 } })), 'CONFIG_INVALID', /allowTripleDes/);
});

test('unknown algorithms are ALGORITHM_NOT_ALLOWED: content, key transport, OAEP digest, mismatched MGF1', async () => {
  const swap = (from, to) => ({ edit: (x) => x.replace(from, to) });
  await rejects(validate(encryptedXml(swap(`${XENC}aes256-cbc`, `${XENC}kw-aes256`))), 'ALGORITHM_NOT_ALLOWED', /accepted: AES/);
  await rejects(validate(encryptedXml(swap(`${XENC}rsa-oaep-mgf1p`, 'http://example.com/rsa'))), 'ALGORITHM_NOT_ALLOWED', /accepted: RSA-OAEP/);
  await rejects(validate(encryptedXml(swap('http://www.w3.org/2000/09/xmldsig#sha1', 'http://www.w3.org/2001/04/xmldsig-more#md5'))), 'ALGORITHM_NOT_ALLOWED', /parameter/);
  await rejects(validate(encryptedXml({ encryption: { transport: 'rsa-oaep-sha256' }, edit: (x) => x.replace('mgf1sha256', 'mgf1sha1') })), 'ALGORITHM_NOT_ALLOWED', /MGF1 with SHA-1/);
  await rejects(validate(encryptedXml(swap(`${XENC}aes256-cbc"/>`, `${XENC}aes256-cbc"><xenc:KeySize>256</xenc:KeySize></xenc:EncryptionMethod>`))), 'INVALID_ASSERTION', /no child elements/);
});

test('padding oracle: every decryption failure is the same DECRYPTION_FAILED message (wrong key, padding, tag, length, bad plaintext)', async () => {
  const policy = ASSERTION_SIGNED_ONLY;
  const flip = (at) => (c) => {
    const out = Buffer.from(c);
    out[out.length + at] ^= 0x01;
    return out;
  };
  const failures = [
    encryptedXml({ signTheResponse: false, encryption: { certificatePem: attacker.certificatePem } }),
    encryptedXml({ signTheResponse: false, encryption: { ciphertext: flip(-17) } }),
    encryptedXml({ signTheResponse: false, encryption: { ciphertext: (c) => c.subarray(0, c.length - 1) } }),
    encryptedXml({ signTheResponse: false, encryption: { ciphertext: (c) => c.subarray(0, 16) } }),
    encryptedXml({ signTheResponse: false, encryption: { content: 'aes256-gcm', ciphertext: flip(-1) } }),
    encryptedXml({ signTheResponse: false, encryption: { content: 'aes256-gcm', ciphertext: (c) => c.subarray(0, c.length - 4) } }),
    encryptedXml({ signTheResponse: false, encryption: { content: 'aes256-gcm', ciphertext: (c) => c.subarray(0, 27) } }),
    encryptedXml({ signTheResponse: false, encryption: { content: 'aes128-cbc' }, edit: (x) => x.replace(`${XENC}aes128-cbc`, `${XENC}aes256-cbc`) }),
    encryptedXml({ signTheResponse: false, encryption: { content: 'aes128-gcm' }, edit: (x) => x.replace('aes128-gcm', 'aes256-gcm') }),
    encryptedXml({ signTheResponse: false, encryption: { wrappedKey: (w) => w.subarray(1) } }),
    encryptedXml({ signTheResponse: false, encryption: { keyCipherValue: 'not base64!' } }),
    encryptedXml({ signTheResponse: false, edit: (x) => x.replace(/(<xenc:CipherValue>)[^<]+(<\/xenc:CipherValue><\/xenc:CipherData><\/xenc:EncryptedData>)/, '$1@@@@$2') }),
    encryptedXml({ signTheResponse: false, encryption: { plaintext: '\u00ff' } }),
    encryptedXml({ signTheResponse: false, encryption: { plaintext: '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">' } }),
    encryptedXml({ signTheResponse: false, encryption: { plaintext: 'text' } }),
    encryptedXml({ signTheResponse: false, encryption: { plaintext: '<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">x</saml2:Issuer>' } }),
    encryptedXml({ signTheResponse: false, encryption: { plaintext: '<Assertion>x</Assertion>' } }),
  ];
  const bad = Buffer.from([0xc3, 0x28]);
  failures.push(encryptedXml({ signTheResponse: false, encrypted: (a) => encryptedAssertion(a, { certificatePem: sp.certificatePem, plaintext: bad }) }));
  for (const xml of failures) {
    const error = await rejects(validate(xml, config({ policy })), 'DECRYPTION_FAILED');
    assert.is(error.message, ONE_MESSAGE);
  }
});

test('padding oracle: only the last byte of ISO 10126 padding is read, 1..16', async () => {
  // The generator pads with arbitrary bytes before the length byte; xmlsec1 and saml-core accept it.
  assert.is((await validate(encryptedXml({ spec: { nameId: 'padding-probe@example.com' } }))).nameId, 'padding-probe@example.com');
  // A whole block of padding (the length is a multiple of 16) is pad length 16.
  for (let extra = 0; extra < 16; extra++) {
    const padded = `${' '.repeat(extra)}`;
    const result = await validate(encryptedXml({ encrypted: (a) => encryptedAssertion(`${a}${padded}`, { certificatePem: sp.certificatePem, seed: `pad-${extra}` }) }));
    assert.is(result.nameId, 'jane.doe@example.com');
  }
});

test('padding oracle: a pad length beyond the block (or 0) is refused, even when what remains would parse', async () => {
  const assertion = serializeXml(findAssertion(parseXml(signResponse(buildResponse({ shape: 'okta', now: new Date('2026-11-22T10:00:00Z'), assertionId: 'idpad' }), { ...okta, signResponse: false }))));
  const block = 16 - (Buffer.byteLength(assertion) % 16);
  for (const [padLength, valid] of [[17, false], [0, false], [16, true]]) {
    // Spaces up to a block boundary, then a block of padding whose last byte claims padLength.
    const plaintext = `${assertion}${' '.repeat(block)}`;
    const padding = Buffer.concat([Buffer.alloc(15, 0x20), Buffer.from([padLength])]);
    const xml = encryptedXml({ spec: { assertionId: 'idpad' }, encrypted: () => encryptedAssertion('', { certificatePem: sp.certificatePem, plaintext, padding, seed: `pad${padLength}` }) });
    if (valid) assert.is((await validate(xml)).nameId, 'jane.doe@example.com');
    else await rejects(validate(xml, config({ policy: ASSERTION_SIGNED_ONLY })), 'DECRYPTION_FAILED');
  }
});

test('padding oracle: a signed Response is verified before anything is decrypted (tampered ciphertext is SIGNATURE_INVALID)', async () => {
  const signed = encryptedXml();
  const tampered = signed.replace(/(<xenc:CipherValue>)([A-Za-z0-9+/])/g, (m, open, c) => `${open}${c === 'A' ? 'B' : 'A'}`);
  await rejects(validate(tampered), 'SIGNATURE_INVALID');
  // An unsigned Response with an encrypted assertion is not decrypted at all under the default policy.
  await rejects(validate(encryptedXml({ signTheResponse: false, encryption: { certificatePem: attacker.certificatePem } })), 'SIGNATURE_MISSING', /signed Response/);
});

test('a decrypted assertion without its own signature is SIGNATURE_MISSING under the default policy (plain path)', async () => {
  await rejects(validate(encryptedXml({ signAssertion: false })), 'SIGNATURE_MISSING', /signed Assertion/);
  assert.is((await validate(encryptedXml({ signAssertion: false }), config({ policy: { requireSignedAssertion: false } }))).nameId, 'jane.doe@example.com');
});

test('a decrypted assertion with a tampered value fails its own signature (the plain path verifies it)', async () => {
  const tamperedInside = encryptedXml({ encrypted: (a) => encryptedAssertion(a.replace('jane.doe@example.com</saml2:NameID>', 'admin@example.com</saml2:NameID>'), { certificatePem: sp.certificatePem }) });
  await rejects(validate(tamperedInside), 'SIGNATURE_INVALID', /digest/);
});

test('decrypted-response-payload: a Response instead of an Assertion is DECRYPTION_FAILED; an XSW wrapper in the plaintext is INVALID_ASSERTION', async () => {
  await rejects(validate(encryptedXml({ encrypted: (a) => encryptedAssertion(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${a}</samlp:Response>`, { certificatePem: sp.certificatePem }) })), 'DECRYPTION_FAILED');
  await rejects(validate(encryptedXml({ encrypted: (a) => encryptedAssertion(`${a}${a}`, { certificatePem: sp.certificatePem }) })), 'DECRYPTION_FAILED');
  await rejects(validate(encryptedXml({ encrypted: (a) => encryptedAssertion(`${a}<!-- c -->`, { certificatePem: sp.certificatePem }) })), 'DECRYPTION_FAILED');
  await rejects(validate(encryptedXml({ encrypted: (a) => encryptedAssertion(`<?xml version="1.0"?>${a}`, { certificatePem: sp.certificatePem }) })), 'DECRYPTION_FAILED');
});

test('xxe in the plaintext: a DOCTYPE or entity in the decrypted bytes is refused by the strict parser', async () => {
  for (const plaintext of ['<!DOCTYPE a [<!ENTITY e "x">]><saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">&e;</saml2:Assertion>', '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">&e;</saml2:Assertion>']) {
    await rejects(validate(encryptedXml({ encryption: { plaintext } })), 'DECRYPTION_FAILED');
  }
});

test('xml limits apply to the plaintext too', async () => {
  // Comments inside the signed Assertion (c14n drops them, so its signature holds); none outside the ciphertext.
  const xml = encryptedXml({ encrypted: (a) => encryptedAssertion(a.replace(/(<saml2:Subject[ >])/, '<!--1--><!--2--><!--3-->$1'), { certificatePem: sp.certificatePem }) });
  const error = await rejects(validate(xml, config({ policy: { xmlLimits: { maxComments: 2 } } })), 'DECRYPTION_FAILED');
  assert.is(error.message, ONE_MESSAGE);
  assert.is((await validate(xml, config({ policy: { xmlLimits: { maxComments: 3 } } }))).nameId, 'jane.doe@example.com');
});

test('namespace context: an Assertion relying on a prefix declared on the Response still resolves', async () => {
  const xml = encryptedXml({
    signAssertion: false,
    encrypted: (a) => encryptedAssertion(a.replace(/ xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/, ''), { certificatePem: sp.certificatePem }),
  });
  assert.ok(xml.includes('xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"'));
  const result = await validate(xml, config({ policy: { requireSignedAssertion: false } }));
  assert.is(result.nameId, 'jane.doe@example.com');
});

test('structure: an EncryptedAssertion beside a plain Assertion, two EncryptedAssertions, or one not a direct child is refused', async () => {
  const plain = (x) => x.replace('</saml2p:Response>', `${serializeXml(findAssertion(parseXml(signResponse(buildResponse({ shape: 'okta', now, assertionId: 'idplain', nameId: 'admin@example.com' }), { ...okta, signResponse: false }))))}</saml2p:Response>`);
  await rejects(validate(encryptedXml({ edit: plain })), 'INVALID_ASSERTION', /exactly one EncryptedAssertion and no plain Assertion/);
  const twice = (x) => x.replace(/(<saml2:EncryptedAssertion[\s\S]*<\/saml2:EncryptedAssertion>)/, (m) => `${m}${m.replace(/Id="_/g, 'Id="_2').replace(/URI="#_/g, 'URI="#_2')}`);
  await rejects(validate(encryptedXml({ edit: twice })), 'INVALID_ASSERTION', /found 2 EncryptedAssertion/);
  const nested = (x) => x.replace(/(<saml2:EncryptedAssertion[\s\S]*<\/saml2:EncryptedAssertion>)/, '<saml2p:Extensions>$1</saml2p:Extensions>');
  await rejects(validate(encryptedXml({ edit: nested })), 'INVALID_ASSERTION', /direct child of the Response; found it inside "saml2p:Extensions"/);
  const signedEncrypted = (x) => x.replace(/<saml2:EncryptedAssertion[^>]*>/, '$&<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>');
  await rejects(validate(encryptedXml({ edit: signedEncrypted })), 'SIGNATURE_INVALID', /Signature on the EncryptedAssertion/);
});

test('structure: Type Element, one EncryptedData, the key inside KeyInfo or a named sibling, inline ciphertext only', async () => {
  const cases = [
    [(x) => x.replace(`Type="${XENC}Element"`, `Type="${XENC}Content"`), /Type/],
    [(x) => x.replace(`Type="${XENC}Element"`, ''), /Type/],
    [(x) => x.replace('</saml2:EncryptedAssertion>', '<saml2:Other/></saml2:EncryptedAssertion>'), /one xenc:EncryptedData and EncryptedKey elements/],
    [(x) => x.replace(/<ds:RetrievalMethod[^>]*\/>/, ''), /exactly one EncryptedKey, RetrievalMethod or KeyName/],
    [(x) => x.replace(/<ds:RetrievalMethod[^>]*\/>/, '<ds:X509Data/>'), /found "ds:X509Data"/],
    [(x) => x.replace(/<ds:RetrievalMethod[^>]*\/>/, '$&<ds:KeyName>k</ds:KeyName>'), /found 2 elements/],
    [(x) => x.replace(/URI="#_[0-9a-f]+"\/>/, 'URI="#_nosuchkey"/>'), /0 of them named/],
    [(x) => x.replace(/(<ds:RetrievalMethod[^>]*) URI="#/, '$1 URI="https://attacker.example/key.xml#'), /same-document RetrievalMethod URI/],
    [(x) => x.replace(/<ds:RetrievalMethod Type="[^"]*"/, `<ds:RetrievalMethod Type="${XENC}EncryptedData"`), /Type xenc#EncryptedKey/],
    [(x) => x.replace(/<\/saml2:EncryptedAssertion>/, (m) => `${/<xenc:EncryptedKey[\s\S]*?<\/xenc:EncryptedKey>/.exec(x)[0].replace(/Id="_/, 'Id="_b')}${m}`), /found 2, 1 of them named/],
    [(x) => x.replace(/<xenc:CipherData><xenc:CipherValue>[^<]*<\/xenc:CipherValue><\/xenc:CipherData><\/xenc:EncryptedData>/, '<xenc:CipherData><xenc:CipherReference URI="https://attacker.example/c"/></xenc:CipherData></xenc:EncryptedData>'), /one CipherValue in the EncryptedData's CipherData/],
    [(x) => x.replace(/<xenc:EncryptionMethod Algorithm="[^"]*rsa-oaep-mgf1p">/, '$&').replace('</xenc:CipherData><xenc:ReferenceList>', '</xenc:CipherData><xenc:Junk/><xenc:ReferenceList>'), /found "xenc:Junk"/],
    [(x) => x.replace(/<ds:KeyInfo xmlns:ds="[^"]*">(<ds:RetrievalMethod)/, '<xenc:CipherData/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">$1'), /EncryptionMethod, ds:KeyInfo and CipherData/],
  ];
  for (const [edit, pattern] of cases) await rejects(validate(encryptedXml({ edit })), 'INVALID_ASSERTION', pattern);
  // Inline EncryptedKey and a sibling at once.
  const both = encryptedXml({ encryption: { placement: 'keyinfo' }, edit: (x) => x.replace('</saml2:EncryptedAssertion>', `${/<xenc:EncryptedKey[\s\S]*?<\/xenc:EncryptedKey>/.exec(x)[0]}</saml2:EncryptedAssertion>`) });
  await rejects(validate(both), 'INVALID_ASSERTION', /not both/);
  // KeyName without a matching CarriedKeyName.
  await rejects(validate(encryptedXml({ encryption: { placement: 'keyname' }, edit: (x) => x.replace(/<xenc:CarriedKeyName>[^<]*/, '<xenc:CarriedKeyName>other') })), 'INVALID_ASSERTION', /0 of them named/);
  assert.is((await validate(encryptedXml({ encryption: { placement: 'keyname' } }))).nameId, 'jane.doe@example.com');
  assert.is((await validate(encryptedXml({ encryption: { placement: 'keyinfo' } }))).nameId, 'jane.doe@example.com');
  // Two CipherData in the EncryptedKey.
  await rejects(validate(encryptedXml({ edit: (x) => x.replace(/(<xenc:CipherData><xenc:CipherValue>[^<]*<\/xenc:CipherValue><\/xenc:CipherData>)(<xenc:ReferenceList>)/, '$1$1$2') })), 'INVALID_ASSERTION', /one CipherData in the EncryptedKey; found 2/);
});

test('OAEPparams: a label is passed to RSA-OAEP; a label that is not base64 is refused', async () => {
  const withLabel = encryptedXml({ edit: (x) => x.replace(/(<ds:DigestMethod[^>]*\/>)(<\/xenc:EncryptionMethod>)/, '$1<xenc:OAEPparams>AAAA</xenc:OAEPparams>$2') });
  // The key was wrapped without a label: with one, the unwrap fails.
  await rejects(validate(withLabel, config({ policy: ASSERTION_SIGNED_ONLY })), 'DECRYPTION_FAILED');
  await rejects(validate(encryptedXml({ edit: (x) => x.replace(/(<ds:DigestMethod[^>]*\/>)(<\/xenc:EncryptionMethod>)/, '$1<xenc:OAEPparams>!!</xenc:OAEPparams>$2') })), 'INVALID_ASSERTION', /OAEPparams in base64/);
});

test('key rollover: each configured decryption key is tried', async () => {
  const next = { privateKeyPem: keyFile('sp-encryption-next.key.pem'), certificatePem: keyFile('sp-encryption-next.crt.pem') };
  const xml = encryptedXml({ encryption: { certificatePem: next.certificatePem } });
  assert.is((await validate(xml, config({ decryptionKeys: [sp.privateKeyPem, next.privateKeyPem] }))).nameId, 'jane.doe@example.com');
  await rejects(validate(xml, config({ decryptionKeys: [sp.privateKeyPem] })), 'DECRYPTION_FAILED');
});

test('pysaml2 signature ids: ds:Signature elements may share an Id among themselves, never with another element', async () => {
  const n = ++counter;
  const xml = buildResponse({ shape: 'okta', now: new Date('2026-11-22T10:00:00Z'), responseId: `idr${n}`, assertionId: `ida${n}` });
  // As pysaml2 does: each Signature gets Id="Signature1" before its parent is signed (the Id sits outside SignedInfo).
  const withId = (x) => x.replace(/<ds:Signature (?!Id=)/, '<ds:Signature Id="Signature1" ');
  const sameId = withId(signResponse(withId(signResponse(xml, { ...okta, signResponse: false })), { ...okta, signAssertion: false }));
  assert.is(sameId.match(/Id="Signature1"/g).length, 2);
  const signed = signResponse(xml, okta);
  assert.is((await validateResponse(config(), toPostBody(sameId), { now })).nameId, 'jane.doe@example.com');
  const clash = signed.replace(/<ds:Signature /, `<ds:Signature Id="ida${n}" `);
  await rejects(validateResponse(config(), toPostBody(clash), { now }), 'SIGNATURE_INVALID', /appears on more than one element/);
  const clashLater = signed.replace(/<ds:Signature /g, '<ds:Signature Id="S" ').replace('<saml2:Issuer ', '<saml2:Issuer Id="S" ');
  await rejects(validateResponse(config(), toPostBody(clashLater), { now }), 'SIGNATURE_INVALID', /"S" appears on more than one element/);
  // Other duplicates still fail.
  const dupIssuer = signed.replace(/<saml2:Issuer /g, '<saml2:Issuer Id="X" ');
  await rejects(validateResponse(config(), toPostBody(dupIssuer), { now }), 'SIGNATURE_INVALID', /"X" appears on more than one element/);
});

test('pysaml2 signature ids inside an encrypted assertion', async () => {
  // pysaml2 signs the Assertion, encrypts it, then signs the Response: both Signatures Id="Signature1".
  const xml = encryptedXml({ signTheResponse: false, encrypted: (a) => encryptedAssertion(a.replace('<ds:Signature ', '<ds:Signature Id="Signature1" '), { certificatePem: sp.certificatePem }) });
  const both = signResponse(xml, { ...okta, signAssertion: false }).replace(/<ds:Signature /, '<ds:Signature Id="Signature1" ');
  assert.is((await validate(both)).nameId, 'jane.doe@example.com');
});

test('attack vectors of our own: each encrypted one is rejected with its code, each control accepted', async () => {
  const own = readVectors(OWN_VECTORS).map(({ vector }) => vector).filter((v) => v.sp.decryptionPrivateKey);
  assert.ok(own.length >= 25, `expected the encrypted vectors; found ${own.length}`);
  for (const vector of own) {
    const result = await runVector(vector);
    assert.ok(result.ok, `${vector.name}: ${result.problem}`);
  }
  // The attacks among them are rejected for their own reason: without the attack, the same shape is valid.
  assert.ok(own.some((v) => v.expect.code === 'DECRYPTION_FAILED') && own.some((v) => v.expect.valid));
});

test('signature wrapping inside the ciphertext: a Signature anywhere in the decrypted Assertion but on it is refused, even one its own signature covers', async () => {
  const stray = '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>';
  // The stray Signature is in the Subject before the Assertion is signed, so its digest covers it:
  // only the placement rule, applied again to the plaintext, refuses it.
  const n = ++counter;
  const plain = buildResponse({ shape: 'okta', now: new Date('2026-11-22T10:00:00Z'), responseId: `idresp${n}`, assertionId: `idassert${n}` });
  const withStray = plain.replace(/(<saml2:Subject[^>]*>)/, `$1${stray}`);
  assert.not.equal(withStray, plain);
  const signedAssertion = serializeXml(findAssertion(parseXml(signResponse(withStray, { ...okta, signResponse: false }))));
  const wrapped = encryptedXml({ spec: { responseId: `idresp${n}w`, assertionId: `idassert${n}` }, signAssertion: false, encrypted: () => encryptedAssertion(signedAssertion, { certificatePem: sp.certificatePem, seed: `stray-${n}` }) });
  await rejects(validate(wrapped), 'SIGNATURE_INVALID', /found a Signature inside "saml2:Subject"/);
});

test.run();
