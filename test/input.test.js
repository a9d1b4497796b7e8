// Input handling: size limit before decoding, strict base64, UTF-8 only, no DTDs, one well-formed root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deflateSync } from 'fflate';
import { decodeBase64, encodeBase64 } from '../dist/base64.js';
import { decodeBody } from '../dist/saml/decode.js';
import { DEFAULT_XML_LIMITS, parseResponse } from '../dist/xml/parse.js';
import { C14N, canonicalize } from '../dist/xml/canonicalize.js';
import { SamlError } from '../dist/errors.js';

const te = new TextEncoder();
const b64 = (text) => encodeBase64(typeof text === 'string' ? te.encode(text) : text);
const RESPONSE = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1" Version="2.0"/>';

function rejects(fn, code, pattern) {
  try {
    fn();
  } catch (error) {
    assert.instance(error, SamlError);
    assert.is(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.unreachable(`expected ${code}`);
}

test('base64: round trip of every byte value and every padding length', () => {
  for (let len = 0; len < 260; len += 1) {
    const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 255);
    if (len === 0) continue;
    assert.equal(decodeBase64(encodeBase64(bytes)), bytes);
  }
});

test('base64: strict alphabet, exact padding, line breaks only between groups', () => {
  assert.equal(decodeBase64('aGk='), te.encode('hi'));
  assert.equal(decodeBase64('aGVs\r\nbG8='), te.encode('hello'));
  for (const junk of ['aGk', 'aGk=x', 'aG!=', 'aGk==', 'a-k=', 'aGk=\u0000', '', '====', 'aGl=', 'aGk=aGk=', 'aGVs%bG8=']) {
    assert.is(decodeBase64(junk), null, `accepted ${JSON.stringify(junk)}`);
  }
});

test('size limit is checked before any decoding (string, fields and URLSearchParams)', () => {
  const big = 'SAMLResponse=' + 'A'.repeat(2000);
  rejects(() => decodeBody(big, 1000), 'INVALID_INPUT', /1000-byte limit/);
  rejects(() => decodeBody({ SAMLResponse: 'A'.repeat(2000) }, 1000), 'INVALID_INPUT', /limit/);
  rejects(() => decodeBody(new URLSearchParams({ SAMLResponse: 'A'.repeat(2000) }), 1000), 'INVALID_INPUT', /limit/);
  // Multi-byte characters count as UTF-8 bytes, not UTF-16 units.
  rejects(() => decodeBody({ SAMLResponse: 'A', RelayState: 'é'.repeat(600) }, 1000), 'INVALID_INPUT', /limit/);
  // The fields count together: each fits, their sum does not.
  rejects(() => decodeBody({ SAMLResponse: 'A'.repeat(600), RelayState: 'r'.repeat(401) }, 1000), 'INVALID_INPUT', /1000-byte limit/);
  const fits = b64(RESPONSE);
  assert.is(decodeBody({ SAMLResponse: fits, RelayState: 'r'.repeat(1000 - fits.length) }, 1000).relayState.length, 1000 - fits.length);
});

test('body forms: urlencoded string, URLSearchParams and parsed fields give the same XML and RelayState', () => {
  const value = b64(RESPONSE);
  const forms = [
    `SAMLResponse=${encodeURIComponent(value)}&RelayState=%2Fhome%3Fa%3D1`,
    new URLSearchParams({ SAMLResponse: value, RelayState: '/home?a=1' }),
    { SAMLResponse: value, RelayState: '/home?a=1' },
    // The raw bytes of the urlencoded form, as a raw-body middleware passes them (a Buffer is a Uint8Array).
    te.encode(`SAMLResponse=${encodeURIComponent(value)}&RelayState=%2Fhome%3Fa%3D1`),
  ];
  for (const form of forms) assert.equal(decodeBody(form, 1e6), { xml: RESPONSE, relayState: '/home?a=1' });
  assert.is(decodeBody({ SAMLResponse: value }, 1e6).relayState, null);
});

test('body: missing, duplicated or non-string SAMLResponse is INVALID_INPUT', () => {
  rejects(() => decodeBody('RelayState=x', 1e6), 'INVALID_INPUT', /no/);
  rejects(() => decodeBody('SAMLResponse=aGk%3D&SAMLResponse=aGk%3D', 1e6), 'INVALID_INPUT', /one SAMLResponse/);
  rejects(() => decodeBody({ SAMLResponse: 42 }, 1e6), 'INVALID_INPUT');
  rejects(() => decodeBody(null, 1e6), 'INVALID_INPUT');
  rejects(() => decodeBody(42, 1e6), 'INVALID_INPUT', /a Uint8Array \(the raw urlencoded bytes\)/);
});

test('body: raw bytes are measured before decoding and must be UTF-8; other binary shapes say what to pass', () => {
  rejects(() => decodeBody(te.encode('SAMLResponse=' + 'A'.repeat(2000)), 1000), 'INVALID_INPUT', /1000-byte limit/);
  rejects(() => decodeBody(new Uint8Array([0x53, 0xff, 0xfe]), 1e6), 'INVALID_INPUT', /not valid UTF-8/);
  assert.match(rejects(() => decodeBody(new ArrayBuffer(8), 1e6), 'INVALID_INPUT', /ArrayBuffer/).hint, /new Uint8Array/);
  rejects(() => decodeBody(new Uint16Array(4), 1e6), 'INVALID_INPUT', /Uint8Array/);
  rejects(() => decodeBody({ getReader() {} }, 1e6), 'INVALID_INPUT', /stream/);
  rejects(() => decodeBody({ pipe() {} }, 1e6), 'INVALID_INPUT', /stream/);
  rejects(() => decodeBody([], 1e6), 'INVALID_INPUT', /an array/);
});

test('base64 junk and trailing garbage are refused', () => {
  rejects(() => decodeBody({ SAMLResponse: b64(RESPONSE) + '!!' }, 1e6), 'INVALID_INPUT', /base64/);
  const padded = [0, 1, 2].map((k) => b64(RESPONSE + ' '.repeat(k))).find((v) => v.endsWith('='));
  rejects(() => decodeBody({ SAMLResponse: padded + 'QUFB' }, 1e6), 'INVALID_INPUT', /base64/);
});

test('encoding: UTF-16 (with or without BOM) is refused', () => {
  const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(RESPONSE).flatMap((c) => [c.charCodeAt(0), 0])]);
  rejects(() => decodeBody({ SAMLResponse: b64(utf16) }, 1e6), 'INVALID_INPUT', /UTF-16/);
  const noBom = new Uint8Array(Array.from(RESPONSE).flatMap((c) => [0, c.charCodeAt(0)]));
  rejects(() => decodeBody({ SAMLResponse: b64(noBom) }, 1e6), 'INVALID_INPUT', /UTF-16/);
});

test('encoding: invalid UTF-8 and a non-UTF-8 encoding declaration are refused', () => {
  rejects(() => decodeBody({ SAMLResponse: b64(new Uint8Array([0x3c, 0x61, 0xc3, 0x28, 0x3e])) }, 1e6), 'INVALID_INPUT', /UTF-8/);
  rejects(() => decodeBody({ SAMLResponse: b64(`<?xml version="1.0" encoding="ISO-8859-1"?>${RESPONSE}`) }, 1e6), 'INVALID_INPUT', /ISO-8859-1/);
  assert.is(decodeBody({ SAMLResponse: b64(`<?xml version="1.0" encoding="utf-8"?>${RESPONSE}`) }, 1e6).xml.endsWith(RESPONSE), true);
});

test('deflated payload (HTTP-Redirect encoding posted to the ACS) is refused', () => {
  rejects(() => decodeBody({ SAMLResponse: b64(deflateSync(te.encode(RESPONSE))) }, 1e6), 'INVALID_INPUT', /DEFLATE/);
});

test('DTD and entity declarations are refused before parsing (XXE, billion laughs)', () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${RESPONSE}`;
  rejects(() => decodeBody({ SAMLResponse: b64(xxe) }, 1e6), 'INVALID_XML', /DOCTYPE/);
  rejects(() => decodeBody({ SAMLResponse: b64(`<!ENTITY a "b">${RESPONSE}`) }, 1e6), 'INVALID_XML', /DOCTYPE or entity/);
});

test('control characters XML forbids are refused', () => {
  rejects(() => decodeBody({ SAMLResponse: b64(`<a>\u0001</a>`) }, 1e6), 'INVALID_XML', /control character/);
});

test('parse: malformed XML, multiple roots, trailing content and parser warnings are fatal', () => {
  rejects(() => parseResponse('<a><b></a>'), 'INVALID_XML', /well-formed/);
  rejects(() => parseResponse(`${RESPONSE}<x/>`), 'INVALID_XML');
  rejects(() => parseResponse(`${RESPONSE}junk`), 'INVALID_XML', /Extra content/i);
  rejects(() => parseResponse('<a>&unknown;</a>'), 'INVALID_XML', /entity/);
  rejects(() => parseResponse('<a x="1" x="2"/>'), 'INVALID_XML');
  rejects(() => parseResponse('<p:a/>'), 'INVALID_XML');
});

test('parse: the root must be a SAML 2.0 protocol Response', () => {
  rejects(() => parseResponse('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'), 'INVALID_XML', /AuthnRequest/);
  rejects(() => parseResponse('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol"/>'), 'INVALID_XML', /SAML:1.0/);
  rejects(() => parseResponse('<Response/>'), 'INVALID_XML', /no namespace/);
  assert.is(parseResponse(`<?xml version="1.0"?>\n${RESPONSE}\n<!-- trailing comment -->`).response.localName, 'Response');
});

test('parse: processing instructions are refused anywhere', () => {
  rejects(() => parseResponse(`<?evil x?>${RESPONSE}`), 'INVALID_XML', /processing instruction/);
  rejects(() => parseResponse(RESPONSE.replace('/>', '><?pi data?></samlp:Response>')), 'INVALID_XML', /processing instruction/);
});

test('parse: duplicate IDs anywhere are refused (a Reference must name one element)', () => {
  const dup = RESPONSE.replace('/>', '><x ID="r1"/></samlp:Response>');
  rejects(() => parseResponse(dup), 'SIGNATURE_INVALID', /more than one element/);
});

test('parse: deep nesting does not overflow the stack (with policy.xmlLimits.maxDepth raised to allow it)', () => {
  const deep = RESPONSE.replace('/>', '>' + '<x>'.repeat(5000) + '</x>'.repeat(5000) + '</samlp:Response>');
  assert.is(parseResponse(deep, { ...DEFAULT_XML_LIMITS, maxDepth: 5001 }).assertions.length, 0);
});

test('parse: line ends are XML 1.0\'s (CRLF and CR become LF); U+0085, U+2028 and U+2029 are kept, as libxml2 keeps them', () => {
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1" Version="2.0" a="x\u2028y\u0085z">a\u2028b\u0085c\r\nd\re\u2029f</samlp:Response>`;
  const { response } = parseResponse(xml);
  // xmllint --c14n (libxml2) of the same document renders exactly this.
  assert.is(canonicalize(response, { algorithm: C14N.inclusive, prefixes: [] }, 'Response').join(''),
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1" Version="2.0" a="x\u2028y\u0085z">a\u2028b\u0085c\nd\ne\u2029f</samlp:Response>');
});

test('parse: the parser\'s own messages, which quote the document, are cut and escaped', () => {
  const error = rejects(() => parseResponse(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><\u202e${'x'.repeat(5000)} </samlp:Response>`), 'INVALID_XML', /not well-formed/);
  assert.ok(error.message.length < 600, `${error.message.length} characters`);
  assert.not.ok(error.message.includes('\u202e'));
  // U+200D (a format character) is a name character: the root's name is quoted escaped.
  rejects(() => parseResponse('<samlp:Response\u200d xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>'), 'INVALID_XML', /got "Response\\u200D"/);
});

test.run();
