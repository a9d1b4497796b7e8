// IdP metadata: parseIdpMetadata and idpConfigFromMetadata against the 22 real documents of the
// real-metadata folder beside the project, read through realMetadata() (every field compared with
// its facts.json, computed by tools nobody here wrote), then every input rule and every attack on
// synthetic documents signed here.
import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { idpConfigFromMetadata, normalizeCertificate, parseIdpMetadata, validateResponse } from '../dist/index.js';
import { ALG, TEST_IDPS, TEST_SP, buildResponse, generateTestCredentials, signElement, signResponse, toPostBody } from '../dist/node/test-idp.js';
import { rejects } from './rejects.js';
import { realMetadata } from './vector-files.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const NOW = new Date('2026-06-01T00:00:00Z');

const [idp, other] = await Promise.all([generateTestCredentials({ commonName: 'metadata idp' }), generateTestCredentials({ commonName: 'someone else' })]);
const body64 = (pem) => pem.replace(/-----[^-]+-----|\s/g, '');
const der64 = (pem) => body64(normalizeCertificate(pem));

/** An IdP's EntityDescriptor, as Okta writes it (md: prefix), with the parts a test overrides. */
function entity({ id = '_md1', entityId = TEST_IDPS.okta.entityId, sso = [[REDIRECT, TEST_IDPS.okta.ssoUrl], [POST, TEST_IDPS.okta.ssoUrl]], keys = [['signing', idp.certificatePem]], attrs = '', extra = '', rootAttrs = '' } = {}) {
  const keyDescriptors = keys
    .map(([use, pem]) => `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${body64(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  const services = sso.map(([binding, location]) => `<md:SingleSignOnService Binding="${binding}" Location="${location}"/>`).join('');
  return `<md:EntityDescriptor xmlns:md="${MD}"${id ? ` ID="${id}"` : ''} entityID="${entityId}"${rootAttrs}><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"${attrs}>${keyDescriptors}<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>${services}${extra}</md:IDPSSODescriptor></md:EntityDescriptor>`;
}

/** Signed on its root EntityDescriptor (Reference #ID), as Entra ID and AD FS sign their metadata. */
function signed(xml, id = '_md1', options = {}) {
  return signElement(xml, { id, privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem, location: { reference: `//*[@ID='${id}']`, action: 'prepend' }, ...options });
}

async function metadataRejects(xml, code, pattern, options = {}) {
  try {
    await parseIdpMetadata(xml, { now: NOW, ...options });
  } catch (error) {
    assert.is(error.name, 'SamlError', String(error));
    assert.is(error.code, code, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.unreachable(`accepted; expected ${code}`);
}

// ---------------------------------------------------------------------------------------------
// The real documents: every field against its facts
// ---------------------------------------------------------------------------------------------

const real = realMetadata();
const first = (endpoints, binding) => endpoints.find((e) => e.binding === binding)?.location;

/** The certificate in the KeyInfo of the root's own Signature, read with a DOM (not this library). */
function keyInfoCertificate(xml) {
  const doc = new DOMParser().parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
  const root = doc.documentElement;
  const signature = Array.from(root.childNodes).find((n) => n.localName === 'Signature' && n.namespaceURI === DS);
  return signature.getElementsByTagNameNS(DS, 'X509Certificate')[0].textContent.replace(/\s/g, '');
}

for (const { name, xml, facts } of real?.documents ?? []) {
  // SAML 2.0 IdPs: an IDPSSODescriptor for SAML 1.1 / Shibboleth 1.0 only is not one (SWAMID has three).
  const saml2 = (e) => (e.protocolSupportEnumeration ?? []).some((p) => p.split(/\s+/).includes('urn:oasis:names:tc:SAML:2.0:protocol'));
  const idps = facts.entities.filter((e) => e.roles.includes('IDPSSODescriptor') && saml2(e));
  const saml1Only = facts.entities.filter((e) => e.roles.includes('IDPSSODescriptor') && !saml2(e));
  const certificateInfo = facts.entities.flatMap((e) => e.certificateInfo ?? []);
  const checkedAt = new Date(facts.checkedAt);
  const validUntil = facts.validUntil === null ? null : new Date(facts.validUntil);
  const expired = validUntil !== null && validUntil <= checkedAt;
  // An expired document is read at an instant when it was still valid; that it is expired is tested below.
  const now = expired ? new Date(validUntil.getTime() - 1000) : checkedAt;

  test(`real metadata ${name}: every IdP entity matches facts.json`, async () => {
    assert.ok(idps.length >= 1, 'facts list an IdP');
    for (const facts of idps) {
      const md = await parseIdpMetadata(xml, { now, ...(idps.length > 1 || facts.entityId !== facts.entityId ? { entityId: facts.entityId } : {}) });
      assert.is(md.entityId, facts.entityId);
      assert.equal(md.sso, dropUndefined({ redirect: first(facts.sso, REDIRECT), post: first(facts.sso, POST) }), 'sso');
      assert.equal(md.slo, dropUndefined({ redirect: first(facts.slo, REDIRECT), post: first(facts.slo, POST) }), 'slo');
      assert.equal(md.signingCertificates.map(body64), facts.signingCertificates, 'signing certificates');
      assert.equal(md.encryptionCertificates.map(body64), facts.encryptionCertificates, 'encryption certificates');
      assert.equal(md.nameIdFormats, facts.nameIdFormats, 'NameID formats');
      assert.is(md.wantAuthnRequestsSigned, facts.wantAuthnRequestsSigned === true);
      assert.is(md.validUntil?.getTime() ?? null, validUntil?.getTime() ?? null, 'validUntil');
      assert.is(md.signed, false, 'not verified without signingCertificates');
      // Each certificate is the one openssl described, and a PEM normalizeCertificate leaves unchanged.
      for (const [i, pem] of md.signingCertificates.entries()) {
        const info = certificateInfo.find((c) => c.sha256 === sha256(pem));
        assert.ok(info !== undefined, `signing certificate ${i} is one facts.json describes`);
        assert.is(normalizeCertificate(pem), pem);
      }
      const config = idpConfigFromMetadata(md);
      assert.equal(config, { entityId: facts.entityId, ssoUrl: first(facts.sso, REDIRECT) ?? first(facts.sso, POST), certificates: md.signingCertificates });
    }
  });

  if (idps.length > 1) {
    test(`real metadata ${name}: an aggregate of ${idps.length} IdPs needs options.entityId, and the error lists them`, async () => {
      const error = await metadataRejects(xml, 'METADATA_INVALID', new RegExp(`holds ${idps.length} IdP entities: .*options\\.entityId`), { now });
      assert.ok(error.message.includes(JSON.stringify(idps[0].entityId)), error.message);
      await metadataRejects(xml, 'METADATA_INVALID', /no IdP entity has the entityID "https:\/\/nobody\.example\/"/, { now, entityId: 'https://nobody.example/' });
      // A SAML 1.1-only IdP is not offered as a SAML 2.0 one.
      for (const e of saml1Only) await metadataRejects(xml, 'METADATA_INVALID', /no IdP entity has the entityID/, { now, entityId: e.entityId });
    });
  }

  if (expired) {
    test(`real metadata ${name}: past its validUntil (${facts.validUntil}) it is METADATA_EXPIRED`, async () => {
      await metadataRejects(xml, 'METADATA_EXPIRED', /expired: its validUntil is/, { now: checkedAt, entityId: idps[0].entityId });
    });
  }

  if (facts.signed) {
    test(`real metadata ${name}: its signature is ${facts.signature.xmlsec1} here as for xmlsec1`, async () => {
      const certificate = keyInfoCertificate(xml);
      assert.is(createHash('sha256').update(Buffer.from(certificate, 'base64')).digest('hex'), facts.signature.keyinfo_certificate_sha256[0], 'the certificate xmlsec1 verified with');
      const sha1 = facts.signature.algorithm.endsWith('rsa-sha1');
      const options = { now, signingCertificates: certificate, allowSha1: sha1, ...(idps.length > 1 ? { entityId: idps[0].entityId } : {}) };
      if (facts.signature.xmlsec1 === 'valid') {
        const md = await parseIdpMetadata(xml, options);
        assert.is(md.signed, true);
        if (sha1) await metadataRejects(xml, 'METADATA_INVALID', /signature is not valid: .*rsa-sha1/, { ...options, allowSha1: false });
        // Another certificate: the signature does not verify.
        await metadataRejects(xml, 'METADATA_INVALID', /signature is not valid: .*does not verify/, { ...options, signingCertificates: other.certificatePem });
      } else {
        // Re-indented after signing (facts: valid only after xmllint --noblanks): the bytes must fail.
        const error = await metadataRejects(xml, certificateInfo.some((c) => c.publicKeyBits < 2048 && c.sha256 === facts.signature.keyinfo_certificate_sha256[0]) ? 'CONFIG_INVALID' : 'METADATA_INVALID', /digest of the signed EntityDescriptor( \(ID "[^"]+"\))? does not match|1024-bit RSA key/, options);
        assert.ok(error.hint, 'a hint');
      }
    });
  }
}

test('real metadata: the corpus is all there (when present)', () => {
  if (real === null) return;
  assert.is(real.documents.length, 22);
  const products = new Set(real.documents.map((d) => d.facts.product));
  for (const product of ['Okta', 'AD FS', 'Shibboleth']) assert.ok([...products].some((p) => p.includes(product)), `${product} in ${[...products]}`);
});

function dropUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function sha256(pem) {
  return createHash('sha256').update(Buffer.from(body64(pem), 'base64')).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// What an IdP's metadata gives, end to end
// ---------------------------------------------------------------------------------------------

test('a config made from the metadata validates the IdP\'s signed response', async () => {
  const md = await parseIdpMetadata(signed(entity()), { now: NOW, signingCertificates: idp.certificatePem });
  assert.is(md.signed, true);
  assert.equal(md.sso, { redirect: TEST_IDPS.okta.ssoUrl, post: TEST_IDPS.okta.ssoUrl });
  assert.equal(md.slo, {});
  assert.equal(md.nameIdFormats, ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']);
  assert.equal(md.warnings, []);
  assert.is(md.validUntil, null);
  const config = { sp: TEST_SP, idp: idpConfigFromMetadata(md) };
  const now = new Date();
  const xml = buildResponse({ shape: 'okta', now, inResponseTo: null });
  const response = signResponse(xml, { privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem });
  const assertion = await validateResponse(config, toPostBody(response), { now });
  assert.is(assertion.issuer, TEST_IDPS.okta.entityId);
});

test('idpConfigFromMetadata: HTTP-Redirect first, else HTTP-POST; anything else is CONFIG_INVALID', async () => {
  const postOnly = await parseIdpMetadata(entity({ sso: [[POST, 'https://idp.example/post'], [REDIRECT + 'x', 'https://idp.example/other']] }), { now: NOW });
  assert.equal(postOnly.sso, { post: 'https://idp.example/post' });
  assert.is(idpConfigFromMetadata(postOnly).ssoUrl, 'https://idp.example/post');
  const both = await parseIdpMetadata(entity({ sso: [[POST, 'https://idp.example/post'], [REDIRECT, 'https://idp.example/redirect'], [REDIRECT, 'https://idp.example/second']] }), { now: NOW });
  assert.equal(both.sso, { post: 'https://idp.example/post', redirect: 'https://idp.example/redirect' }, 'the first endpoint per binding');
  assert.is(idpConfigFromMetadata(both).ssoUrl, 'https://idp.example/redirect');
  for (const bad of [null, 'xml', { entityId: 'x' }]) {
    assert.throws(() => idpConfigFromMetadata(bad), (e) => e.code === 'CONFIG_INVALID' && /result of parseIdpMetadata/.test(e.message));
  }
});

test('key rollover: every signing certificate, in document order; a KeyDescriptor without use counts for both', async () => {
  const md = await parseIdpMetadata(entity({ keys: [['signing', idp.certificatePem], ['encryption', other.certificatePem], [null, other.certificatePem]] }), { now: NOW });
  assert.equal(md.signingCertificates, [normalizeCertificate(idp.certificatePem), normalizeCertificate(other.certificatePem)]);
  assert.equal(md.encryptionCertificates, [normalizeCertificate(other.certificatePem), normalizeCertificate(other.certificatePem)]);
  assert.equal(idpConfigFromMetadata(md).certificates, md.signingCertificates);
});

test('metadata input: a UTF-8 BOM, CRLF line ends, a comment before the root and an XML declaration are read', async () => {
  const xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<!-- generated -->\r\n${entity({ extra: '\r\n' }).replace('><md:IDPSSO', '>\r\n  <md:IDPSSO')}`;
  const md = await parseIdpMetadata(xml, { now: NOW });
  assert.is(md.entityId, TEST_IDPS.okta.entityId);
  // Signed with LF line ends, shipped with CRLF (Entra ID's download): still valid, as XML 1.0 reads it.
  const crlf = signed(entity()).replace(/></g, '>\n<').replace(/\n/g, '\r\n');
  await metadataRejects(crlf, 'METADATA_INVALID', /digest/, { signingCertificates: idp.certificatePem });
  const signedThenCrlf = signed(entity().replace(/></g, '>\n<')).replace(/\n/g, '\r\n');
  assert.is((await parseIdpMetadata(`\uFEFF${signedThenCrlf}`, { now: NOW, signingCertificates: idp.certificatePem })).signed, true);
});

test('metadata validUntil: the earliest of the document, entity and IDPSSODescriptor; past it, METADATA_EXPIRED', async () => {
  const xml = entity({ rootAttrs: ' validUntil="2027-01-01T00:00:00Z"', attrs: ' validUntil="2026-07-01T00:00:00Z"' });
  assert.is((await parseIdpMetadata(xml, { now: NOW })).validUntil.toISOString(), '2026-07-01T00:00:00.000Z');
  const error = await metadataRejects(xml, 'METADATA_EXPIRED', /validUntil is 2026-07-01T00:00:00.000Z, and now is 2026-07-01T00:00:00.000Z/, { now: new Date('2026-07-01T00:00:00Z') });
  assert.match(error.hint, /current metadata/);
  await metadataRejects(entity({ rootAttrs: ' validUntil="2026-02-30T00:00:00Z"' }), 'METADATA_INVALID', /validUntil "2026-02-30T00:00:00Z" is not an xs:dateTime/);
  // The default instant is the wall clock.
  await metadataRejects(entity({ rootAttrs: ' validUntil="2020-01-01T00:00:00Z"' }), 'METADATA_EXPIRED', /expired/, { now: undefined });
});

// ---------------------------------------------------------------------------------------------
// Attacks and malformed metadata
// ---------------------------------------------------------------------------------------------

test('XXE: a metadata document with a DOCTYPE or an entity declaration is refused before parsing', async () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE md [<!ENTITY x SYSTEM "file:///etc/passwd">]>${entity({ entityId: '&x;' })}`;
  await metadataRejects(xxe, 'METADATA_INVALID', /DOCTYPE or entity declaration/);
  await metadataRejects(`<!ENTITY a "b">${entity()}`, 'METADATA_INVALID', /DOCTYPE or entity declaration/);
  await metadataRejects(`<?xml version="1.0" encoding="ISO-8859-1"?>${entity()}`, 'METADATA_INVALID', /UTF-8/);
});

test('huge document: larger than options.maxBytes (default 10 MiB) is refused before parsing', async () => {
  const padding = `<!--${'x'.repeat(10 * 1024 * 1024)}-->`;
  await metadataRejects(entity() + padding, 'METADATA_INVALID', /larger than 10485760 bytes \(options\.maxBytes\)/);
  const xml = entity();
  await metadataRejects(xml, 'METADATA_INVALID', /larger than 100 bytes/, { maxBytes: 100 });
  // UTF-8 bytes, not UTF-16 units: 3 bytes per "€".
  const euros = entity({ entityId: `https://idp.example/${'€'.repeat(100)}` });
  await metadataRejects(euros, 'METADATA_INVALID', /larger than/, { maxBytes: euros.length + 100 });
  assert.ok(await parseIdpMetadata(euros, { now: NOW, maxBytes: euros.length + 200 }));
});

test('structural limits: metadata nested past 64 levels is refused while parsing', async () => {
  const deep = entity({ extra: `<md:Extensions>${'<x:a xmlns:x="urn:x">'.repeat(70)}${'</x:a>'.repeat(70)}</md:Extensions>` });
  await metadataRejects(deep, 'METADATA_INVALID', /nests elements 65 deep; the limit is 64 \(maxDepth, fixed\)/);
  await metadataRejects('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"', 'METADATA_INVALID', /not well-formed XML/);
  await metadataRejects(`${entity()}<?php x?>`, 'METADATA_INVALID', /processing instruction/);
  await metadataRejects(`${entity()}${entity()}`, 'METADATA_INVALID', /well-formed|more than one root/);
});

test('signature wrapping: a second, unsigned entity beside the signed one is refused', async () => {
  const genuine = signed(entity());
  const evil = entity({ id: '_evil', sso: [[REDIRECT, 'https://evil.example/sso']], keys: [['signing', other.certificatePem]] });
  const wrapped = `<md:EntitiesDescriptor xmlns:md="${MD}">${genuine.replace(/^<\?xml[^>]*>/, '')}${evil}</md:EntitiesDescriptor>`;
  // Unverified: the same entity ID twice cannot be told apart.
  await metadataRejects(wrapped, 'METADATA_INVALID', /2 IdP entities have the entityID/, { entityId: TEST_IDPS.okta.entityId });
  await metadataRejects(wrapped, 'METADATA_INVALID', /2 IdP entities have the entityID/);
  // Pinned: only a signature on the root counts, and the EntitiesDescriptor carries none.
  await metadataRejects(wrapped, 'METADATA_INVALID', /requires a signed document, and the EntitiesDescriptor carries no Signature/, { signingCertificates: idp.certificatePem, entityId: TEST_IDPS.okta.entityId });
  // The signed entity moved under an unsigned root with another entity: still no root signature.
  const otherId = `<md:EntitiesDescriptor xmlns:md="${MD}">${genuine.replace(/^<\?xml[^>]*>/, '')}${entity({ id: '_evil', entityId: 'https://evil.example/' })}</md:EntitiesDescriptor>`;
  await metadataRejects(otherId, 'METADATA_INVALID', /carries no Signature/, { signingCertificates: idp.certificatePem, entityId: 'https://evil.example/' });
  // Two elements with one ID: a reference could name either.
  await metadataRejects(`<md:EntitiesDescriptor xmlns:md="${MD}">${entity()}${entity({ entityId: 'https://b.example/' })}</md:EntitiesDescriptor>`, 'METADATA_INVALID', /The ID "_md1" appears on more than one element/, { entityId: 'https://b.example/' });
});

test('certificate swapped after signing: the digest no longer matches', async () => {
  const genuine = signed(entity());
  // KeyInfo is never trusted: swapping only the Signature's own certificate changes nothing.
  const keyInfoOnly = genuine.replace(body64(idp.certificatePem), body64(other.certificatePem));
  assert.is.not(keyInfoOnly, genuine);
  assert.is((await parseIdpMetadata(keyInfoOnly, { now: NOW, signingCertificates: idp.certificatePem })).signed, true);
  const swapped = genuine.replaceAll(body64(idp.certificatePem), body64(other.certificatePem));
  const error = await metadataRejects(swapped, 'METADATA_INVALID', /digest of the signed EntityDescriptor( \(ID "[^"]+"\))? does not match/, { signingCertificates: idp.certificatePem });
  assert.match(error.hint, /exactly as the IdP serves them/);
  // The attacker's own key, signing the swapped document: not a configured certificate.
  const resigned = signElement(entity({ keys: [['signing', other.certificatePem]] }), { id: '_md1', privateKeyPem: other.privateKeyPem, certificatePem: other.certificatePem, location: { reference: "//*[@ID='_md1']", action: 'prepend' } });
  await metadataRejects(resigned, 'METADATA_INVALID', /does not verify/, { signingCertificates: idp.certificatePem });
});

test('metadata signature: required with signingCertificates, exactly one, on the root, and the options\' certificates only', async () => {
  await metadataRejects(entity(), 'METADATA_INVALID', /requires a signed document, and the EntityDescriptor carries no Signature/, { signingCertificates: idp.certificatePem });
  const genuine = signed(entity());
  const signature = /<Signature[\s\S]*<\/Signature>/.exec(genuine)[0];
  await metadataRejects(genuine.replace(signature, signature + signature), 'METADATA_INVALID', /carries 2 Signatures/, { signingCertificates: idp.certificatePem });
  // A signature deeper down (on the IDPSSODescriptor) is not the root's: not followed.
  const inner = signElement(entity({ attrs: ' ID="_sso"', id: null }), { id: '_sso', privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem, location: { reference: "//*[@ID='_sso']", action: 'prepend' } });
  await metadataRejects(inner, 'METADATA_INVALID', /carries no Signature/, { signingCertificates: idp.certificatePem });
  // Unsigned verification is not pretended: a signed document read without certificates is signed: false.
  assert.is((await parseIdpMetadata(genuine, { now: NOW })).signed, false);
  // The certificates option goes through normalizeCertificate's reading: the base64 body alone works.
  assert.is((await parseIdpMetadata(genuine, { now: NOW, signingCertificates: [other.certificatePem, body64(idp.certificatePem)] })).signed, true);
  await metadataRejects(genuine, 'CONFIG_INVALID', /options\.signingCertificates\[0\] is a private key/, { signingCertificates: idp.privateKeyPem });
});

test('metadata signature: Reference URI="" (the whole document) only for a signature on the root', async () => {
  // Federation aggregates sign the EntitiesDescriptor with URI="": accepted there.
  const root = `<md:EntitiesDescriptor xmlns:md="${MD}" Name="urn:federation">${entity({ id: null })}</md:EntitiesDescriptor>`;
  const whole = signWholeDocument(root);
  assert.match(whole, /URI=""/);
  assert.is((await parseIdpMetadata(whole, { now: NOW, signingCertificates: idp.certificatePem })).signed, true);
  // And with a WithComments canonicalization, which after URI="" renders no comments either.
  const withComments = signWholeDocument(root.replace('<md:IDPSSO', '<!-- c --><md:IDPSSO'), ALG.excC14nWithComments);
  assert.is((await parseIdpMetadata(withComments, { now: NOW, signingCertificates: idp.certificatePem })).signed, true);
  // URI="" on a Response signature stays refused (a reference names the signed element by its ID).
  const response = buildResponse({ shape: 'okta', now: NOW, inResponseTo: null });
  const signedResponse = signResponse(response, { privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem }).replace(/<ds:Reference URI="#[^"]*"/, '<ds:Reference URI=""');
  assert.match(signedResponse, /URI=""/);
  const config = { sp: TEST_SP, idp: { entityId: TEST_IDPS.okta.entityId, certificates: [idp.certificatePem] }, policy: { requireSignedAssertion: false } };
  await rejects(validateResponse(config, toPostBody(signedResponse), { now: NOW }), 'SIGNATURE_INVALID', /expected the Reference URI "#[^"]+" \(the signed element's ID\); got ""/);
});

test('SSO endpoint whose Location is javascript:, relative or otherwise not http(s): refused; plain http:// is kept with a warning', async () => {
  for (const location of ['javascript:alert(1)', 'data:text/html,x', '/relative/sso', ' https://idp.example/sso', 'file:///etc/passwd']) {
    await metadataRejects(entity({ sso: [[REDIRECT, location]] }), 'METADATA_INVALID', /Location .* is not an absolute http\(s\) URL/);
  }
  const plain = await parseIdpMetadata(entity({ sso: [[POST, 'http://idp.example/sso']] }), { now: NOW });
  assert.equal(plain.sso, { post: 'http://idp.example/sso' });
  assert.equal(plain.warnings, ['The SingleSignOnService (HTTP-POST) Location "http://idp.example/sso" is plain http://: the sign-in travels unencrypted.']);
  // A binding the SP does not use is neither read nor checked.
  const soap = await parseIdpMetadata(entity({ sso: [['urn:oasis:names:tc:SAML:2.0:bindings:SOAP', 'javascript:x'], [POST, 'https://idp.example/sso']] }), { now: NOW });
  assert.equal(soap.sso, { post: 'https://idp.example/sso' });
  const slo = await parseIdpMetadata(entity({ extra: `<md:SingleLogoutService Binding="${REDIRECT}" Location="https://idp.example/slo"/>` }), { now: NOW });
  assert.equal(slo.slo, { redirect: 'https://idp.example/slo' });
});

test('metadata that is not a usable IdP\'s: each mistake named', async () => {
  const cases = [
    [`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`, /expected an md:EntityDescriptor or md:EntitiesDescriptor root .* got "Response"/],
    [`<EntityDescriptor entityID="x"/>`, /got "EntityDescriptor" in no namespace/],
    [entity().replace(/<md:IDPSSODescriptor[\s\S]*<\/md:IDPSSODescriptor>/, `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>`), /no IDPSSODescriptor supporting SAML 2\.0/],
    [entity().replace('urn:oasis:names:tc:SAML:2.0:protocol"', 'urn:oasis:names:tc:SAML:1.1:protocol"'), /no IDPSSODescriptor supporting SAML 2\.0/],
    [entity({ sso: [] }), /no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding/],
    [entity({ keys: [['encryption', idp.certificatePem]] }), /publishes no signing certificate/],
    [entity({ keys: [['sign', idp.certificatePem]] }), /KeyDescriptor has use="sign"/],
    [entity({ keys: [['signing', idp.privateKeyPem]] }), /X509Certificate of a KeyDescriptor is not a certificate: its body is not valid base64|is not a parsable X\.509 certificate/],
    [entity().replace('WantAuthnRequestsSigned="false"', 'WantAuthnRequestsSigned="yes"'), /WantAuthnRequestsSigned is "yes"/],
    [entity({ entityId: '' }), /an EntityDescriptor has no entityID/],
    [entity().replace('</md:IDPSSODescriptor>', '</md:IDPSSODescriptor><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>'), /has 2 SAML 2\.0 IDPSSODescriptors/],
  ];
  for (const [xml, pattern] of cases) {
    const error = await metadataRejects(xml, 'METADATA_INVALID', pattern);
    assert.ok(error.hint, `a hint for ${error.message}`);
  }
  assert.is((await parseIdpMetadata(entity().replace('WantAuthnRequestsSigned="false"', 'WantAuthnRequestsSigned="1"'), { now: NOW })).wantAuthnRequestsSigned, true);
  await metadataRejects(42, 'METADATA_INVALID', /expected the metadata XML as a string; got 42/);
});

test('parseIdpMetadata options: each mistake is CONFIG_INVALID naming the option', async () => {
  const xml = entity();
  const cases = [
    [{ entityID: 'x' }, /options has no key "entityID" \(did you mean "entityId"\?\)/],
    [{ entityId: '' }, /options\.entityId must be a non-empty string/],
    [{ now: '2026-01-01' }, /options\.now must be a valid Date/],
    [{ now: new Date('x') }, /options\.now must be a valid Date/],
    [{ signingCertificates: [] }, /options\.signingCertificates must be a PEM certificate or a non-empty array/],
    [{ signingCertificates: [42] }, /options\.signingCertificates must be/],
    [{ allowSha1: 'yes' }, /options\.allowSha1 must be a boolean/],
    [{ maxBytes: 0 }, /options\.maxBytes must be a positive integer/],
    [{ maxBytes: 1.5 }, /options\.maxBytes must be a positive integer/],
  ];
  for (const [options, pattern] of cases) await metadataRejects(xml, 'CONFIG_INVALID', pattern, options);
  await assert.not.throws(() => parseIdpMetadata(xml));
  try {
    await parseIdpMetadata(xml, null);
    assert.unreachable();
  } catch (error) {
    assert.is(error.code, 'CONFIG_INVALID');
  }
});

test('dsig: Reference URI="" is refused on any element but the root, even where the whole document is allowed', async () => {
  const { verifySignature } = await import('../dist/xml/dsig.js');
  const { parseXml } = await import('../dist/xml/parse.js');
  const { loadVerificationKeys } = await import('../dist/certificates.js');
  const keys = await loadVerificationKeys([idp.certificatePem], 2048);
  // An EntityDescriptor signed on its own with URI="", then put inside an aggregate.
  const inner = signWholeDocument(entity({ id: null })).replace(/^<\?xml[^>]*>/, '');
  const source = { name: 'IdP metadata', code: 'METADATA_INVALID', limitsSetting: null };
  const alone = parseXml(inner, { maxDepth: 64, maxElements: 1000, maxAttributesPerElement: 64, maxNamespaceDeclarationsPerElement: 64, maxNamespaceDeclarations: 1000, maxComments: 10 }, source).root;
  const signature = (element) => Array.from(element.childNodes).find((n) => n.localName === 'Signature');
  assert.ok(await verifySignature(alone, signature(alone), keys, false, null, NOW.getTime(), true), 'valid as a root');
  const nested = parseXml(`<md:EntitiesDescriptor xmlns:md="${MD}">${inner}</md:EntitiesDescriptor>`, { maxDepth: 64, maxElements: 1000, maxAttributesPerElement: 64, maxNamespaceDeclarationsPerElement: 64, maxNamespaceDeclarations: 1000, maxComments: 10 }, source).root.firstChild;
  try {
    await verifySignature(nested, signature(nested), keys, false, null, NOW.getTime(), true);
    assert.unreachable('accepted');
  } catch (error) {
    assert.is(error.code, 'SIGNATURE_INVALID');
    assert.match(error.message, /expected the Reference URI a "#" and the ID \(the signed element's ID\); got ""/);
  }
});

test('any input: damaged metadata gives a SamlError or a result, never another error', async () => {
  // Deterministic damage (a seeded generator): truncations, and runs of characters replaced by XML
  // syntax, over a signed and an unsigned document, with and without signingCertificates.
  let seed = 12345;
  const random = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const pieces = ['<', '>', '&', '"', "'", '/', '=', ':', ' ', 'xmlns:ds="x"', '<!--', ']]>', '<![CDATA[', '&#0;', '\u0000', '\uFEFF', 'ID="_md1"', 'URI=""', '</md:EntityDescriptor>'];
  const documents = [signed(entity()), entity({ keys: [[null, idp.certificatePem]] })];
  let outcomes = { resolved: 0, rejected: 0 };
  for (const xml of documents) {
    for (let i = 0; i < 150; i++) {
      const at = random(xml.length);
      const damaged = i % 3 === 0 ? xml.slice(0, at) : xml.slice(0, at) + pieces[random(pieces.length)] + xml.slice(at + random(8));
      for (const options of [{ now: NOW }, { now: NOW, signingCertificates: idp.certificatePem }]) {
        try {
          await parseIdpMetadata(damaged, options);
          outcomes.resolved++;
        } catch (error) {
          assert.is(error.name, 'SamlError', `${error}\n${damaged.slice(Math.max(0, at - 40), at + 40)}`);
          assert.ok(['METADATA_INVALID', 'METADATA_EXPIRED'].includes(error.code), error.code);
          outcomes.rejected++;
        }
      }
    }
  }
  assert.ok(outcomes.rejected > 300 && outcomes.resolved > 0, JSON.stringify(outcomes));
});

/** Sign `xml`'s root with Reference URI="""" (xml-crypto with an empty-URI reference), as a federation does. */
function signWholeDocument(xml, referenceCanonicalization = ALG.excC14n) {
  return signElement(xml, { id: '', privateKeyPem: idp.privateKeyPem, certificatePem: idp.certificatePem, referenceCanonicalization, wholeDocument: true, location: { reference: '/*', action: 'prepend' } });
}

test.run();
