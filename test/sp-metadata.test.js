// createSpMetadata: the exact document, every option, hostile values escaped by the serializer
// (never markup), and every bad input a CONFIG_INVALID SamlError saying what was expected and what came.
// Schema validity and the round trip through other SAML stacks: test/schemas.test.js, test/sp-metadata-roundtrip.test.js.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runInNewContext } from 'node:vm';
import { DOMParser } from '@xmldom/xmldom';
import { createSpMetadata, normalizeCertificate, SamlError } from '../dist/index.js';
import { generateTestCredentials } from '../dist/node/test-idp.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ENTITY_ID = 'https://app.example.com/saml/metadata';
const ACS = 'https://app.example.com/saml/acs';

const spConfig = (sp = {}, policy) => ({
  sp: { entityId: ENTITY_ID, acsUrl: ACS, ...sp },
  idp: { entityId: 'http://www.okta.com/exk1', ssoUrl: 'https://example.okta.com/sso', certificates: 'x' },
  ...(policy ? { policy } : {}),
});

function parse(xml) {
  const doc = new DOMParser({ onError: (level, message) => assert.unreachable(`XML ${level}: ${message}`) }).parseFromString(xml, 'text/xml');
  assert.is(doc.documentElement.namespaceURI, MD);
  assert.is(doc.documentElement.localName, 'EntityDescriptor');
  return doc.documentElement;
}

const elements = (parent) => [...parent.childNodes].filter((n) => n.nodeType === 1);
const names = (parent) => elements(parent).map((e) => e.localName);

function throwsConfig(fn, pattern) {
  try {
    fn();
  } catch (error) {
    assert.instance(error, SamlError, String(error));
    assert.is(error.code, 'CONFIG_INVALID', error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.unreachable(`expected CONFIG_INVALID matching ${pattern}`);
}

test('the default document, exactly: one SPSSODescriptor, WantAssertionsSigned, no request signing, emailAddress, the HTTP-POST ACS', () => {
  assert.fixture(
    createSpMetadata(spConfig()),
    `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://app.example.com/saml/metadata">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://app.example.com/saml/acs" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`,
  );
});

test('every option, exactly, in schema order: validUntil, Organization after the role, then each ContactPerson in the given order', () => {
  const xml = createSpMetadata(spConfig(), {
    validUntil: new Date('2027-06-30T12:00:00Z'),
    organization: { name: 'Example Inc.', displayName: 'Example', url: 'https://www.example.com/', lang: 'en-US' },
    contacts: [
      { type: 'technical', company: 'Example Inc.', givenName: 'Ann', surName: 'Lee', emailAddresses: ['ann@example.com', 'mailto:sso@example.com'], telephoneNumbers: ['+1 555 0100', '+1 555 0101'] },
      { type: 'support', emailAddresses: ['help@example.com'] },
    ],
  });
  assert.fixture(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://app.example.com/saml/metadata" validUntil="2027-06-30T12:00:00.000Z">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://app.example.com/saml/acs" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="en-US">Example Inc.</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="en-US">Example</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="en-US">https://www.example.com/</md:OrganizationURL>
  </md:Organization>
  <md:ContactPerson contactType="technical">
    <md:Company>Example Inc.</md:Company>
    <md:GivenName>Ann</md:GivenName>
    <md:SurName>Lee</md:SurName>
    <md:EmailAddress>mailto:ann@example.com</md:EmailAddress>
    <md:EmailAddress>mailto:sso@example.com</md:EmailAddress>
    <md:TelephoneNumber>+1 555 0100</md:TelephoneNumber>
    <md:TelephoneNumber>+1 555 0101</md:TelephoneNumber>
  </md:ContactPerson>
  <md:ContactPerson contactType="support">
    <md:EmailAddress>mailto:help@example.com</md:EmailAddress>
  </md:ContactPerson>
</md:EntityDescriptor>
`,
  );
});

test('Organization alone: displayName defaults to the name and lang to "en"; each contact type is written as given', () => {
  const root = parse(createSpMetadata(spConfig(), { organization: { name: 'Example', url: 'http://example.com' } }));
  assert.equal(names(root), ['SPSSODescriptor', 'Organization']);
  const org = elements(root)[1];
  assert.equal(elements(org).map((e) => [e.localName, e.getAttributeNS(XML_NS, 'lang'), e.textContent]), [
    ['OrganizationName', 'en', 'Example'],
    ['OrganizationDisplayName', 'en', 'Example'],
    ['OrganizationURL', 'en', 'http://example.com'],
  ]);
  for (const type of ['technical', 'support', 'administrative', 'billing', 'other']) {
    const people = elements(parse(createSpMetadata(spConfig(), { contacts: [{ type }] }))).slice(1);
    assert.equal(people.map((p) => [p.localName, p.getAttribute('contactType'), elements(p).length]), [['ContactPerson', type, 0]]);
  }
  assert.equal(names(parse(createSpMetadata(spConfig(), { contacts: [] }))), ['SPSSODescriptor']);
  assert.equal(names(parse(createSpMetadata(spConfig(), {}))), ['SPSSODescriptor']);
});

test('NameIDFormat follows policy.nameIdFormat: a short name becomes its URI, a URI is kept, "any" writes none', () => {
  const formats = (policy) => {
    const sp = elements(parse(createSpMetadata(spConfig({}, policy))))[0];
    return elements(sp).filter((e) => e.localName === 'NameIDFormat').map((e) => e.textContent);
  };
  assert.equal(formats(undefined), ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']);
  assert.equal(formats({ nameIdFormat: 'persistent' }), ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent']);
  assert.equal(formats({ nameIdFormat: 'transient' }), ['urn:oasis:names:tc:SAML:2.0:nameid-format:transient']);
  assert.equal(formats({ nameIdFormat: 'unspecified' }), ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified']);
  assert.equal(formats({ nameIdFormat: 'urn:example:format' }), ['urn:example:format']);
  assert.equal(formats({ nameIdFormat: 'any' }), []);
  const sp = elements(parse(createSpMetadata(spConfig({}, { nameIdFormat: 'any' }))))[0];
  assert.equal(names(sp), ['AssertionConsumerService']);
});

test('the same config and options give the same text, with no ID attribute (nothing random or clock-based)', () => {
  const options = { validUntil: new Date('2030-01-01T00:00:00Z'), contacts: [{ type: 'other', givenName: 'A' }] };
  const a = createSpMetadata(spConfig(), options);
  assert.is(createSpMetadata(spConfig(), options), a);
  assert.not.match(a, / ID="/);
  // The options object is read, never changed.
  assert.equal(options.contacts, [{ type: 'other', givenName: 'A' }]);
});

test('markup injection through a hostile entity ID, ACS URL or organization name: escaped by the serializer, read back unchanged', () => {
  // "]]>" in an entity ID or URL is refused (a "]" outside an IPv6 host is no URI: see below).
  const entityId = `https://app.example.com/?a=<b>&c="d"'e'>"/><md:IDPSSODescriptor x="`;
  const acsUrl = 'https://app.example.com/acs?x="/><md:AssertionConsumerService Location="https://evil.example/&y=<z>';
  const hostile = `Ev<i>l & "Co" 'x' ]]> </md:OrganizationName><md:OrganizationName xml:lang="en">`;
  const xml = createSpMetadata(spConfig({ entityId, acsUrl }), {
    organization: { name: hostile, displayName: '<![CDATA[x]]>', url: 'https://example.com/?a=1&b=<2>' },
    contacts: [{ type: 'other', company: ']]>&amp;', givenName: '&lt;', surName: '"\'', telephoneNumbers: ['<x/>'] }],
  });
  assert.not.ok(xml.includes('<md:IDPSSODescriptor'), 'markup from the entity ID');
  assert.not.ok(xml.includes('<i>') || xml.includes('<x/>') || xml.includes('<![CDATA['), 'markup from text');
  const root = parse(xml);
  assert.is(root.getAttribute('entityID'), entityId);
  assert.equal(names(root), ['SPSSODescriptor', 'Organization', 'ContactPerson']);
  const [sp, org, person] = elements(root);
  assert.equal(names(sp), ['NameIDFormat', 'AssertionConsumerService']);
  assert.is(elements(sp)[1].getAttribute('Location'), acsUrl);
  assert.equal(elements(org).map((e) => e.textContent), [hostile, '<![CDATA[x]]>', 'https://example.com/?a=1&b=<2>']);
  assert.equal(elements(person).map((e) => e.textContent), [']]>&amp;', '&lt;', '"\'', '<x/>']);
  // Text: & and < always escaped, and > too (so a "]]>" in text stays legal XML).
  assert.ok(xml.includes(']]&gt;&amp;amp;'), xml);
});

test('a Date from another realm is a Date (tag check, not instanceof)', () => {
  const validUntil = runInNewContext('new Date("2028-02-29T23:59:59.999Z")');
  assert.match(createSpMetadata(spConfig(), { validUntil }), / validUntil="2028-02-29T23:59:59.999Z">/);
});

test('config errors are CONFIG_INVALID as everywhere: a missing ACS URL, a misspelt key, no certificates', () => {
  throwsConfig(() => createSpMetadata({ sp: { entityId: ENTITY_ID }, idp: { certificates: 'x' } }), /sp\.acsUrl must be a non-empty string/);
  throwsConfig(() => createSpMetadata({ sp: { entityId: ENTITY_ID, acsURL: ACS }, idp: { certificates: 'x' } }), /sp has no key "acsURL" \(did you mean "acsUrl"\?\)/);
  throwsConfig(() => createSpMetadata({ sp: { entityId: ENTITY_ID, acsUrl: ACS }, idp: {} }), /idp\.certificates/);
  throwsConfig(() => createSpMetadata(spConfig({ acsUrl: 'ftp://app.example.com/acs' })), /sp\.acsUrl must be an absolute http\(s\) URL; got "ftp:/);
  throwsConfig(() => createSpMetadata(spConfig({}, { nameIdFormat: '' })), /policy\.nameIdFormat/);
});

test('an entity ID over 1024 characters is refused (SAML core 8.3.6), 1024 is written', () => {
  const base = 'https://app.example.com/';
  const at = (n) => base + 'a'.repeat(n - base.length);
  assert.match(createSpMetadata(spConfig({ entityId: at(1024) })), new RegExp(`entityID="${at(1024)}"`));
  throwsConfig(() => createSpMetadata(spConfig({ entityId: at(1025) })), /sp\.entityId must be at most 1024 characters \(SAML core 8\.3\.6\); got 1025\./);
});

test('values a parser would change or a schema refuses: control characters, lone surrogates, a value that is not a URI', () => {
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'https://app.example.com/\tx' })), /sp\.entityId must not contain control characters or lone surrogates; got "https:\/\/app\.example\.com\/\\tx"/);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'urn:x:\ud800' })), /sp\.entityId must not contain control characters/);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'urn:x:%zz' })), /sp\.entityId must be a URI \(RFC 3986[^;]*; got "urn:x:%zz"\./);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'urn:x:a#b#c' })), /sp\.entityId must be a URI/);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'urn:x:a]]>' })), /sp\.entityId must be a URI/);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'https://app.example.com:port/sp' })), /sp\.entityId must be a URI/);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: 'https://app.example.com:/sp' })), /sp\.entityId must be a URI/);
  throwsConfig(() => createSpMetadata(spConfig({ entityId: '1urn:x' })), /sp\.entityId must be a URI/);
  throwsConfig(() => createSpMetadata(spConfig({ acsUrl: 'https://app.example.com/[acs]' })), /sp\.acsUrl must be a URI; got|sp\.acsUrl must be a URI \(/);
  throwsConfig(() => createSpMetadata(spConfig({}, { nameIdFormat: 'urn:x:[y]' })), /policy\.nameIdFormat must be a URI/);
  // What is a URI reference passes, including characters xs:anyURI escapes (space, <, ", non-ASCII).
  for (const entityId of ['urn:example:sp', 'api://4f0c1d2e-0000-4000-8000-000000000000', 'spn:x', 'my-app', 'https://[::1]:8443/sp', 'https://h/é <x> "y"', 'https://h/a%2Fb?q=1#frag']) {
    assert.is(parse(createSpMetadata(spConfig({ entityId }))).getAttribute('entityID'), entityId);
  }
});

test('bad options: not an object, an unknown key', () => {
  for (const [options, got] of [[null, 'null'], ['x', '"x"'], [[], 'an array'], [1, 'number 1']]) {
    throwsConfig(() => createSpMetadata(spConfig(), options), new RegExp(`Invalid SP metadata option: options must be an object; got ${got.replace(/[[\]]/g, '\\$&')}\\.`));
  }
  throwsConfig(() => createSpMetadata(spConfig(), { validuntil: new Date() }), /options has no key "validuntil" \(did you mean "validUntil"\?\); the known keys are validUntil, organization, contacts\./);
});

test('bad validUntil: not a Date, an invalid Date, a year xs:dateTime cannot write', () => {
  throwsConfig(() => createSpMetadata(spConfig(), { validUntil: '2027-01-01T00:00:00Z' }), /options\.validUntil must be a valid Date between the years 1 and 9999; got "2027-01-01T00:00:00Z"\./);
  throwsConfig(() => createSpMetadata(spConfig(), { validUntil: new Date('nope') }), /options\.validUntil must be a valid Date[^;]*; got an invalid or out-of-range Date\./);
  throwsConfig(() => createSpMetadata(spConfig(), { validUntil: new Date('+010000-01-01T00:00:00Z') }), /options\.validUntil must be a valid Date/);
  throwsConfig(() => createSpMetadata(spConfig(), { validUntil: new Date('0000-06-01T00:00:00Z') }), /options\.validUntil must be a valid Date/);
  throwsConfig(() => createSpMetadata(spConfig(), { validUntil: 1767225600000 }), /got number 1767225600000\./);
  assert.match(createSpMetadata(spConfig(), { validUntil: new Date('0001-01-01T00:00:00Z') }), /validUntil="0001-01-01T00:00:00\.000Z"/);
  assert.match(createSpMetadata(spConfig(), { validUntil: new Date('9999-12-31T23:59:59.999Z') }), /validUntil="9999-12-31T23:59:59\.999Z"/);
});

test('bad organization: not an object, without name or url, a url that is not http(s), a bad lang, an unknown key, white space', () => {
  const org = (o) => () => createSpMetadata(spConfig(), { organization: o });
  throwsConfig(org('Example'), /options\.organization must be an object; got "Example"\./);
  throwsConfig(org({ name: 'Example' }), /options\.organization\.url must be a non-empty string; got undefined\./);
  throwsConfig(org({ url: 'https://example.com' }), /options\.organization\.name must be a non-empty string; got undefined\./);
  throwsConfig(org({ name: ' ', url: 'https://example.com' }), /options\.organization\.name must be a non-empty string; got " "\./);
  throwsConfig(org({ name: 'Example', url: 'example.com' }), /options\.organization\.url must be an absolute http\(s\) URL; got "example\.com"\./);
  throwsConfig(org({ name: 'Example', url: 'javascript:alert(1)' }), /options\.organization\.url must be an absolute http\(s\) URL; got "javascript:alert\(1\)"\./);
  throwsConfig(org({ name: 'Example', url: 'https://example.com/[x]' }), /options\.organization\.url must be a URI/);
  throwsConfig(org({ name: 'Example', url: 'https://example.com', lang: 'english language' }), /options\.organization\.lang must be a language tag such as "en" or "en-US"; got "english language"\./);
  throwsConfig(org({ name: 'Example', url: 'https://example.com', lang: 5 }), /options\.organization\.lang must be a non-empty string when set; got number 5\./);
  throwsConfig(org({ name: 'Example', url: 'https://example.com', displayname: 'E' }), /options\.organization has no key "displayname" \(did you mean "displayName"\?\); the known keys are name, displayName, url, lang\./);
  throwsConfig(org({ name: 'Example ', url: 'https://example.com' }), /options\.organization\.name must not have surrounding white space; got "Example "\./);
  throwsConfig(org({ name: 'Exa\nmple', url: 'https://example.com' }), /options\.organization\.name must not contain control characters/);
});

test('bad contacts: not an array, an unknown or missing type, an unknown key, a bad email address, a bad list', () => {
  const contacts = (c) => () => createSpMetadata(spConfig(), { contacts: c });
  throwsConfig(contacts({ type: 'technical' }), /options\.contacts must be an array; got an object\./);
  throwsConfig(contacts(['technical']), /options\.contacts\[0\] must be an object; got "technical"\./);
  throwsConfig(contacts([{ type: 'technical' }, { type: 'security' }]), /options\.contacts\[1\]\.type must be one of technical, support, administrative, billing, other; got "security"\./);
  throwsConfig(contacts([{ givenName: 'Ann' }]), /options\.contacts\[0\]\.type must be one of [^;]*; got undefined\./);
  throwsConfig(contacts([{ type: 'technical', email: 'a@example.com' }]), /options\.contacts\[0\] has no key "email"[^;]*; the known keys are type, company, givenName, surName, emailAddresses, telephoneNumbers\./);
  throwsConfig(contacts([{ type: 'technical', emailAddresses: 'a@example.com' }]), /options\.contacts\[0\]\.emailAddresses must be an array of strings; got "a@example\.com"\./);
  throwsConfig(contacts([{ type: 'technical', emailAddresses: ['a@example.com', 'not an address'] }]), /options\.contacts\[0\]\.emailAddresses\[1\] must be an email address; got "not an address"\./);
  throwsConfig(contacts([{ type: 'technical', emailAddresses: ['mailto:'] }]), /emailAddresses\[0\] must be an email address; got "mailto:"\./);
  throwsConfig(contacts([{ type: 'technical', emailAddresses: ['a@b@c'] }]), /emailAddresses\[0\] must be an email address/);
  throwsConfig(contacts([{ type: 'technical', telephoneNumbers: [''] }]), /options\.contacts\[0\]\.telephoneNumbers\[0\] must be a non-empty string; got ""\./);
  throwsConfig(contacts([{ type: 'technical', telephoneNumbers: [5550100] }]), /telephoneNumbers\[0\] must be a non-empty string; got number 5550100\./);
  throwsConfig(contacts([{ type: 'technical', company: null }]), /options\.contacts\[0\]\.company must be a non-empty string when set; got null\./);
  throwsConfig(contacts([{ type: 'technical', surName: 'Lee\r' }]), /options\.contacts\[0\]\.surName must not have surrounding white space/);
  throwsConfig(contacts([{ type: 'technical', givenName: 'A\u0000n' }]), /options\.contacts\[0\]\.givenName must not contain control characters/);
});

const spKey = await generateTestCredentials({ commonName: 'sp encryption' });

test('sp.encryptionCertificate: published as the KeyDescriptor use="encryption" with the algorithms decryption accepts', () => {
  const pem = normalizeCertificate(spKey.certificatePem);
  const body = pem.replace(/-----[^-]+-----|\s/g, '');
  // Any pasted form is read (here: the base64 body alone, CRLF-wrapped).
  for (const given of [spKey.certificatePem, body.match(/.{1,64}/g).join('\r\n')]) {
    const sp = elements(parse(createSpMetadata(spConfig({ encryptionCertificate: given }))))[0];
    assert.equal(names(sp), ['KeyDescriptor', 'NameIDFormat', 'AssertionConsumerService']);
    const key = elements(sp)[0];
    assert.is(key.getAttribute('use'), 'encryption');
    const [keyInfo, ...methods] = elements(key);
    assert.is(keyInfo.namespaceURI, 'http://www.w3.org/2000/09/xmldsig#');
    assert.is(keyInfo.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0].textContent, body);
    assert.equal(methods.map((m) => [m.namespaceURI, m.localName, m.getAttribute('Algorithm')]), [
      [MD, 'EncryptionMethod', 'http://www.w3.org/2009/xmlenc11#aes256-gcm'],
      [MD, 'EncryptionMethod', 'http://www.w3.org/2009/xmlenc11#aes128-gcm'],
      [MD, 'EncryptionMethod', 'http://www.w3.org/2001/04/xmlenc#aes256-cbc'],
      [MD, 'EncryptionMethod', 'http://www.w3.org/2001/04/xmlenc#aes128-cbc'],
      [MD, 'EncryptionMethod', 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p'],
    ]);
  }
  // Without it, no KeyDescriptor: the IdP then has no key to encrypt to.
  assert.equal(names(elements(parse(createSpMetadata(spConfig())))[0]), ['NameIDFormat', 'AssertionConsumerService']);
});

test('sp.encryptionCertificate: a private key, two certificates or anything else is CONFIG_INVALID', () => {
  throwsConfig(() => createSpMetadata(spConfig({ encryptionCertificate: spKey.privateKeyPem })), /sp\.encryptionCertificate must be one certificate .* is a private key/);
  throwsConfig(() => createSpMetadata(spConfig({ encryptionCertificate: spKey.certificatePem + spKey.certificatePem })), /holds 2 certificates/);
  throwsConfig(() => createSpMetadata(spConfig({ encryptionCertificate: 42 })), /sp\.encryptionCertificate must be one certificate \(PEM\), the certificate of sp\.decryptionKeys; got 42/);
});

test.run();
