// AuthnRequest: the XML says exactly what the config says (escaped), both bindings carry it intact,
// and every bad input is a SamlError with a stable code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { inflateSync } from 'fflate';
import { DOMParser } from '@xmldom/xmldom';
import { createAuthnRequest } from '../dist/saml/authn-request.js';
import { SamlError } from '../dist/errors.js';

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const SSO = 'https://example.okta.com/app/exk1/sso/saml';
const NOW = new Date('2025-03-04T05:06:07.890Z');
// An NCName (XML namespaces 1.0): what xs:ID, and so the ID attribute, must be.
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const config = (overrides = {}) => ({
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs', ...overrides.sp },
  idp: { entityId: 'http://www.okta.com/exk1', ssoUrl: SSO, certificates: 'x', ...overrides.idp },
  ...(overrides.policy ? { policy: overrides.policy } : {}),
});

function parseXml(xml) {
  const doc = new DOMParser({ onError: (level, message) => assert.unreachable(`XML ${level}: ${message}`) }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  assert.is(root.namespaceURI, PROTOCOL_NS);
  assert.is(root.localName, 'AuthnRequest');
  return root;
}

function decodeBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Undo the Redirect binding by hand: query parameter → base64 → raw inflate → UTF-8. */
function xmlFromRedirect(redirectUrl) {
  const param = new URL(redirectUrl).searchParams.getAll('SAMLRequest');
  assert.is(param.length, 1);
  return new TextDecoder().decode(inflateSync(decodeBase64(param[0])));
}

function children(element) {
  return Array.from(element.childNodes).filter((n) => n.nodeType === 1);
}

async function rejects(promiseFactory, code, pattern) {
  let promise;
  try {
    promise = promiseFactory();
  } catch (error) {
    assert.unreachable(`threw synchronously instead of rejecting: ${error}`);
  }
  try {
    await promise;
  } catch (error) {
    assert.instance(error, SamlError);
    assert.is(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.unreachable('resolved instead of rejecting');
}

test('redirect (default): URL round-trips to an AuthnRequest with every attribute from the config', async () => {
  const result = await createAuthnRequest(config(), { now: NOW });
  assert.ok(result.redirectUrl.startsWith(`${SSO}?SAMLRequest=`));
  assert.is(result.form, undefined);
  const xml = xmlFromRedirect(result.redirectUrl);
  assert.is(xml, result.xml);

  const root = parseXml(xml);
  assert.is(root.getAttribute('ID'), result.id);
  assert.match(result.id, NCNAME);
  assert.match(result.id, /^_[0-9a-f]{40}$/);
  assert.is(root.getAttribute('Version'), '2.0');
  assert.is(root.getAttribute('IssueInstant'), '2025-03-04T05:06:07.890Z');
  assert.is(new Date(root.getAttribute('IssueInstant')).getTime(), NOW.getTime());
  assert.is(root.getAttribute('Destination'), SSO);
  assert.is(root.getAttribute('AssertionConsumerServiceURL'), 'https://app.example.com/saml/acs');
  assert.is(root.getAttribute('ProtocolBinding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
  assert.is(root.hasAttribute('ForceAuthn'), false);
  assert.equal(
    Array.from(root.attributes, (a) => a.name),
    ['xmlns:samlp', 'xmlns:saml', 'ID', 'Version', 'IssueInstant', 'Destination', 'AssertionConsumerServiceURL', 'ProtocolBinding'],
  );

  const [issuer, policy, ...rest] = children(root);
  assert.is(rest.length, 0);
  assert.is(issuer.namespaceURI, ASSERTION_NS);
  assert.is(issuer.localName, 'Issuer');
  assert.is(issuer.textContent, 'https://app.example.com/saml/metadata');
  assert.is(policy.namespaceURI, PROTOCOL_NS);
  assert.is(policy.localName, 'NameIDPolicy');
  assert.is(policy.getAttribute('Format'), EMAIL);
  assert.is(policy.getAttribute('AllowCreate'), 'true');
});

test('redirect: SAMLRequest is raw DEFLATE (no zlib header) and has no RelayState unless given', async () => {
  const result = await createAuthnRequest(config());
  const url = new URL(result.redirectUrl);
  const bytes = decodeBase64(url.searchParams.get('SAMLRequest'));
  const looksZlib = (bytes[0] & 0x0f) === 8 && (bytes[0] * 256 + bytes[1]) % 31 === 0;
  assert.is(looksZlib, false);
  assert.equal([...url.searchParams.keys()], ['SAMLRequest']);
  // base64 '+', '/', '=' must be percent-encoded or a form decoder turns '+' into a space.
  assert.not.match(url.search.slice('?SAMLRequest='.length), /[+/=]/);
});

test('redirect: default IssueInstant is the current time', async () => {
  const before = Date.now();
  const result = await createAuthnRequest(config());
  const instant = Date.parse(parseXml(result.xml).getAttribute('IssueInstant'));
  assert.ok(instant >= before && instant <= Date.now());
  assert.match(parseXml(result.xml).getAttribute('IssueInstant'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('redirect: ssoUrl with a query string keeps its parameters verbatim and adds SAMLRequest/RelayState once', async () => {
  const ssoUrl = 'https://login.example.com/sso?x=1&tenant=a%20b&flag';
  const result = await createAuthnRequest(config({ idp: { ssoUrl } }), { relayState: 'rs' });
  assert.ok(result.redirectUrl.startsWith(`${ssoUrl}&SAMLRequest=`), result.redirectUrl);
  const params = new URL(result.redirectUrl).searchParams;
  assert.equal([...params.keys()], ['x', 'tenant', 'flag', 'SAMLRequest', 'RelayState']);
  assert.is(params.get('x'), '1');
  assert.is(params.get('tenant'), 'a b');
  assert.equal(params.getAll('RelayState'), ['rs']);
  assert.is(parseXml(xmlFromRedirect(result.redirectUrl)).getAttribute('Destination'), ssoUrl);
});

test('redirect: ssoUrl ending in "?" or "&" gets no empty parameter', async () => {
  const a = await createAuthnRequest(config({ idp: { ssoUrl: 'https://idp.example.com/sso?' } }));
  assert.ok(a.redirectUrl.startsWith('https://idp.example.com/sso?SAMLRequest='));
  const b = await createAuthnRequest(config({ idp: { ssoUrl: 'https://idp.example.com/sso?x=1&' } }));
  assert.ok(b.redirectUrl.startsWith('https://idp.example.com/sso?x=1&SAMLRequest='));
});

test('redirect: a fragment in ssoUrl stays after the query, so SAMLRequest reaches the server', async () => {
  const result = await createAuthnRequest(config({ idp: { ssoUrl: 'https://idp.example.com/sso?x=1#frag' } }), { relayState: 'r' });
  const url = new URL(result.redirectUrl);
  assert.is(url.hash, '#frag');
  assert.ok(result.redirectUrl.endsWith('&RelayState=r#frag'));
  assert.equal([...url.searchParams.keys()], ['x', 'SAMLRequest', 'RelayState']);
  assert.is(xmlFromRedirect(result.redirectUrl), result.xml);
});

test('redirect: ssoUrl that already carries a binding parameter is CONFIG_INVALID', async () => {
  for (const name of ['SAMLRequest', 'RelayState', 'Signature']) {
    await rejects(() => createAuthnRequest(config({ idp: { ssoUrl: `https://idp.example.com/sso?${name}=x` } })), 'CONFIG_INVALID', new RegExp(name));
  }
});

test('redirect: RelayState is carried and percent-encoded (space as %20, reserved characters escaped)', async () => {
  const relayState = 'a b&c=d+e/f?g#h%i é';
  const result = await createAuthnRequest(config(), { relayState });
  const raw = result.redirectUrl.slice(result.redirectUrl.indexOf('&RelayState=') + '&RelayState='.length);
  assert.is(raw, 'a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25i%20%C3%A9');
  assert.is(decodeURIComponent(raw), relayState);
  assert.is(new URL(result.redirectUrl).searchParams.get('RelayState'), relayState);
});

test('relayState: 80 bytes of UTF-8 pass, 81 fail, and bytes (not characters) are counted', async () => {
  await createAuthnRequest(config(), { relayState: 'x'.repeat(80) });
  await createAuthnRequest(config(), { relayState: 'é'.repeat(40) });
  await rejects(() => createAuthnRequest(config(), { relayState: 'x'.repeat(81) }), 'INVALID_INPUT', /at most 80 bytes.*got 81 bytes/);
  await rejects(() => createAuthnRequest(config(), { relayState: 'é'.repeat(41) }), 'INVALID_INPUT', /80 bytes.*got 82 bytes/);
});

test('relayState: non-strings, empty, control characters and lone surrogates are INVALID_INPUT', async () => {
  await rejects(() => createAuthnRequest(config(), { relayState: 42 }), 'INVALID_INPUT', /relayState must be a non-empty string.*got number 42/);
  await rejects(() => createAuthnRequest(config(), { relayState: '' }), 'INVALID_INPUT', /non-empty/);
  await rejects(() => createAuthnRequest(config(), { relayState: null }), 'INVALID_INPUT', /got null/);
  await rejects(() => createAuthnRequest(config(), { relayState: 'a\nb' }), 'INVALID_INPUT', /control characters/);
  await rejects(() => createAuthnRequest(config(), { relayState: 'a\ud800b' }), 'INVALID_INPUT', /well-formed/);
  // A correctly paired surrogate (an emoji) is fine.
  const ok = await createAuthnRequest(config(), { relayState: 'go \u{1F600}' });
  assert.is(new URL(ok.redirectUrl).searchParams.get('RelayState'), 'go \u{1F600}');
});

test('post: form has action, SAMLRequest (base64 of the UTF-8 XML, not deflated) and RelayState', async () => {
  const result = await createAuthnRequest(config(), { binding: 'post', relayState: 'state-1', now: NOW });
  assert.is(result.redirectUrl, undefined);
  const { action, fields, html } = result.form;
  assert.is(action, SSO);
  assert.equal(Object.keys(fields), ['SAMLRequest', 'RelayState']);
  assert.is(new TextDecoder().decode(decodeBase64(fields.SAMLRequest)), result.xml);
  assert.is(fields.RelayState, 'state-1');
  const root = parseXml(result.xml);
  assert.is(root.getAttribute('ID'), result.id);
  assert.is(root.getAttribute('Destination'), SSO);
  assert.is(root.getAttribute('IssueInstant'), NOW.toISOString());

  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.includes(`<form method="post" action="${SSO}">`));
  assert.ok(html.includes(`<input type="hidden" name="SAMLRequest" value="${fields.SAMLRequest}">`));
  assert.ok(html.includes('<input type="hidden" name="RelayState" value="state-1">'));
  assert.match(html, /<noscript>.*<button type="submit">.*<\/noscript><\/form>/);
  assert.match(html, /<script>document\.forms\[0\]\.submit\(\);<\/script>/);
});

test('post: no RelayState field unless given', async () => {
  const result = await createAuthnRequest(config(), { binding: 'post' });
  assert.equal(Object.keys(result.form.fields), ['SAMLRequest']);
  assert.not.match(result.form.html, /RelayState/);
});

test('post: hostile relayState and ssoUrl appear in the HTML only escaped and parse back exactly', async () => {
  const relayState = `"><script>alert(1)</script>&amp;'`;
  const ssoUrl = `https://idp.example.com/sso?a="><script>alert(2)</script>&b='1'`;
  const result = await createAuthnRequest(config({ idp: { ssoUrl } }), { binding: 'post', relayState });
  const { html } = result.form;
  assert.is(html.split('<script>').length, 2, 'exactly one script element: ours');
  assert.not.ok(html.includes('alert(1)</script>'));
  assert.ok(html.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&#39;"'));
  assert.ok(html.includes(`action="https://idp.example.com/sso?a=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;&amp;b=&#39;1&#39;"`));

  const doc = new DOMParser().parseFromString(html, 'text/html');
  assert.is(doc.getElementsByTagName('form')[0].getAttribute('action'), ssoUrl);
  const inputs = Array.from(doc.getElementsByTagName('input'));
  assert.equal(inputs.map((i) => [i.getAttribute('name'), i.getAttribute('value')]), Object.entries(result.form.fields));
  assert.is(result.form.fields.RelayState, relayState);
  // The XML's Destination is the same hostile string, XML-escaped.
  assert.is(parseXml(result.xml).getAttribute('Destination'), ssoUrl);
});

test('xml: hostile config values are escaped; Issuer text and attributes parse back exactly', async () => {
  const entityId = `"><x/>&amp;'<!--`;
  const acsUrl = `https://app.example.com/acs?a=1&b="2"&c=<3>`;
  const result = await createAuthnRequest(config({ sp: { entityId, acsUrl }, policy: { nameIdFormat: 'urn:x:"&<' } }));
  assert.not.ok(result.xml.includes('<x/>'));
  const root = parseXml(result.xml);
  const [issuer, policy, ...rest] = children(root);
  assert.is(rest.length, 0);
  assert.is(issuer.childNodes.length, 1);
  assert.is(issuer.textContent, entityId);
  assert.is(root.getAttribute('AssertionConsumerServiceURL'), acsUrl);
  assert.is(policy.getAttribute('Format'), 'urn:x:"&<');
  assert.is(xmlFromRedirect(result.redirectUrl), result.xml);
});

test('xml: non-ASCII entity ID survives as UTF-8 in both bindings', async () => {
  const entityId = 'urn:app:ünïcødé:\u{1F600}';
  const r = await createAuthnRequest(config({ sp: { entityId } }));
  assert.is(children(parseXml(xmlFromRedirect(r.redirectUrl)))[0].textContent, entityId);
  const p = await createAuthnRequest(config({ sp: { entityId } }), { binding: 'post' });
  const xml = new TextDecoder().decode(decodeBase64(p.form.fields.SAMLRequest));
  assert.is(children(parseXml(xml))[0].textContent, entityId);
});

test('xml: config values XML cannot carry unchanged (control characters, lone surrogates) are CONFIG_INVALID', async () => {
  await rejects(() => createAuthnRequest(config({ sp: { entityId: 'urn:a\u0000b' } })), 'CONFIG_INVALID', /sp\.entityId.*control characters/);
  await rejects(() => createAuthnRequest(config({ sp: { entityId: 'urn:a\rb' } })), 'CONFIG_INVALID', /sp\.entityId/);
  await rejects(() => createAuthnRequest(config({ sp: { entityId: 'urn:a\udc00' } })), 'CONFIG_INVALID', /lone surrogates/);
  await rejects(() => createAuthnRequest(config({ policy: { nameIdFormat: 'urn:x\ty' } })), 'CONFIG_INVALID', /policy\.nameIdFormat/);
});

test('xml: a URL or format that is no URI reference (xs:anyURI in the protocol schema) is CONFIG_INVALID, though WHATWG URL accepts it', async () => {
  await rejects(() => createAuthnRequest(config({ sp: { acsUrl: 'https://app.example.com/[acs]' } })), 'CONFIG_INVALID', /sp\.acsUrl must be a URI \(RFC 3986/);
  await rejects(() => createAuthnRequest(config({ idp: { ssoUrl: 'https://idp.example.com/sso?x=%zz' } })), 'CONFIG_INVALID', /idp\.ssoUrl must be a URI/);
  await rejects(() => createAuthnRequest(config({ policy: { nameIdFormat: 'urn:x:a#b#c' } })), 'CONFIG_INVALID', /policy\.nameIdFormat must be a URI/);
  // A space, quotes or non-ASCII are escaped by xs:anyURI: kept.
  const r = await createAuthnRequest(config({ sp: { acsUrl: 'https://app.example.com/acs?n="é"' } }), { binding: 'post' });
  assert.ok(r.xml.includes('AssertionConsumerServiceURL="https://app.example.com/acs?n=&quot;é&quot;"'), r.xml);
});

test('ids: 1000 calls give 1000 distinct 160-bit NCName IDs', async () => {
  const ids = new Set();
  const c = config();
  for (let i = 0; i < 1000; i++) {
    const { id, xml } = await createAuthnRequest(c, { binding: 'post' });
    assert.match(id, /^_[0-9a-f]{40}$/);
    assert.ok(xml.includes(` ID="${id}" `));
    ids.add(id);
  }
  assert.is(ids.size, 1000);
});

test('forceAuthn: true writes ForceAuthn="true"; false or omitted leaves it out', async () => {
  const on = await createAuthnRequest(config(), { forceAuthn: true });
  assert.is(parseXml(xmlFromRedirect(on.redirectUrl)).getAttribute('ForceAuthn'), 'true');
  assert.ok(on.xml.includes(' ForceAuthn="true"'));
  const off = await createAuthnRequest(config(), { forceAuthn: false });
  assert.is(parseXml(off.xml).hasAttribute('ForceAuthn'), false);
  await rejects(() => createAuthnRequest(config(), { forceAuthn: 'true' }), 'INVALID_INPUT', /forceAuthn must be true or false; got "true"/);
  await rejects(() => createAuthnRequest(config(), { forceAuthn: null }), 'INVALID_INPUT', /got null/);
});

test('nameIdFormat: "any" omits Format; short names expand to the full URI', async () => {
  const any = await createAuthnRequest(config({ policy: { nameIdFormat: 'any' } }));
  const policy = children(parseXml(any.xml))[1];
  assert.is(policy.hasAttribute('Format'), false);
  assert.is(policy.getAttribute('AllowCreate'), 'true');
  const persistent = await createAuthnRequest(config({ policy: { nameIdFormat: 'persistent' } }));
  assert.is(children(parseXml(persistent.xml))[1].getAttribute('Format'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
});

test('config: missing idp.ssoUrl is CONFIG_INVALID naming the Okta and Azure fields', async () => {
  const c = config();
  delete c.idp.ssoUrl;
  const error = await rejects(() => createAuthnRequest(c), 'CONFIG_INVALID', /idp\.ssoUrl/);
  assert.match(error.hint, /Identity Provider Single Sign-On URL/);
  assert.match(error.hint, /Microsoft Entra ID: "Login URL"/);
  await rejects(() => createAuthnRequest(config({ idp: { ssoUrl: 'not a url' } })), 'CONFIG_INVALID', /idp\.ssoUrl/);
  await rejects(() => createAuthnRequest(null), 'CONFIG_INVALID');
  await rejects(() => createAuthnRequest(undefined), 'CONFIG_INVALID');
});

test('options: bad binding is INVALID_INPUT saying what was expected and what came', async () => {
  await rejects(() => createAuthnRequest(config(), { binding: 'artifact' }), 'INVALID_INPUT', /binding must be "redirect" or "post"; got "artifact"/);
  await rejects(() => createAuthnRequest(config(), { binding: 'POST' }), 'INVALID_INPUT', /got "POST"/);
  await rejects(() => createAuthnRequest(config(), { binding: null }), 'INVALID_INPUT', /got null/);
});

test('options: bad now is INVALID_INPUT; a Date from another realm is accepted', async () => {
  await rejects(() => createAuthnRequest(config(), { now: new Date('nope') }), 'INVALID_INPUT', /now must be a valid Date.*got an invalid or out-of-range Date/);
  await rejects(() => createAuthnRequest(config(), { now: '2025-01-01T00:00:00Z' }), 'INVALID_INPUT', /now must be a valid Date.*got "2025-01-01/);
  await rejects(() => createAuthnRequest(config(), { now: 1735689600000 }), 'INVALID_INPUT', /got number 1735689600000/);
  await rejects(() => createAuthnRequest(config(), { now: new Date(Date.UTC(10000, 0, 1)) }), 'INVALID_INPUT', /9999/);
  // XML Schema 1.0's xs:dateTime has no year 0000: IssueInstant would be schema-invalid.
  await rejects(() => createAuthnRequest(config(), { now: new Date('0000-06-01T00:00:00Z') }), 'INVALID_INPUT', /options\.now must be a valid Date between the years 1 and 9999/);
  assert.match((await createAuthnRequest(config(), { now: new Date('0001-01-01T00:00:00Z'), binding: 'post' })).xml, /IssueInstant="0001-01-01T00:00:00\.000Z"/);
  await rejects(() => createAuthnRequest(config(), { now: { getTime: () => 0 } }), 'INVALID_INPUT', /got an object/);
  const foreign = runInNewContext('new Date(0)');
  const result = await createAuthnRequest(config(), { now: foreign });
  assert.is(parseXml(result.xml).getAttribute('IssueInstant'), '1970-01-01T00:00:00.000Z');
});

test('options: a non-object or an unknown (misspelt) option is INVALID_INPUT', async () => {
  await rejects(() => createAuthnRequest(config(), 'post'), 'INVALID_INPUT', /options must be an object.*got "post"/);
  await rejects(() => createAuthnRequest(config(), null), 'INVALID_INPUT', /got null/);
  await rejects(() => createAuthnRequest(config(), []), 'INVALID_INPUT', /got an array/);
  await rejects(() => createAuthnRequest(config(), { forceAuth: true }), 'INVALID_INPUT', /got an option named "forceAuth"/);
  // undefined values mean "default", as for an omitted key.
  const r = await createAuthnRequest(config(), { binding: undefined, relayState: undefined, forceAuthn: undefined, now: undefined });
  assert.ok(r.redirectUrl);
});

test('docs: the CSP hash in README.md matches the inline submit script', async () => {
  const { form } = await createAuthnRequest(config(), { binding: 'post' });
  const script = /<script>(.*?)<\/script>/.exec(form.html)[1];
  const hash = createHash('sha256').update(script).digest('base64');
  const doc = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(doc.includes(`'sha256-${hash}'`), `docs should mention 'sha256-${hash}'`);
});

test.run();
