// Inclusive C14N 1.0, saml-core's own: against libxml2 on every vector and conformance document
// (digests recorded by test/c14n-conformance/vectors.js: python3-lxml for the whole document,
// xmlsec1 for the Assertion as a subtree of the Response), end to end on Responses signed by
// xmlsec1 (test/c14n-conformance/responses.json), and the attacks xml-crypto's inclusive
// canonicalizer let through. Also: both methods on deep and namespace-heavy documents.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOMParser } from '@xmldom/xmldom';
import { C14N, canonicalize, createSubtreeReuse } from '../dist/xml/canonicalize.js';
import { createMemoryReplayStore, validateResponse, SamlError } from '../dist/index.js';
import { TEST_SP, toPostBody } from '../dist/node/test-idp.js';
import { ROOT, realVectors } from './vector-files.js';
import { childAssertion, vectorXml } from './c14n-conformance/vector-xml.js';

const INCLUSIVE = { algorithm: C14N.inclusive, prefixes: [] };
const EXCLUSIVE = { algorithm: C14N.exc, prefixes: [] };
const recorded = JSON.parse(readFileSync(new URL('./c14n-conformance/vectors.json', import.meta.url), 'utf8'));
const signed = JSON.parse(readFileSync(new URL('./c14n-conformance/responses.json', import.meta.url), 'utf8'));
const { cases } = JSON.parse(readFileSync(new URL('./c14n-conformance/cases.json', import.meta.url), 'utf8'));

const parse = (xml) => new DOMParser({ onError: (level, message) => { throw new Error(`${level}: ${message}`); } }).parseFromString(xml, 'text/xml');
const sha256 = (parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('base64');
};

// Records of the real vectors run when they are here (test/vector-files.js says so in one line).
const realDir = realVectors()?.dir ?? null;
const isReal = (record) => record.vector.startsWith('real/');

test('inclusive C14N equals libxml2 on every vector: the whole Response, and the Assertion as a subtree of it', () => {
  let documents = 0;
  let assertions = 0;
  const records = recorded.records.filter((record) => realDir !== null || !isReal(record));
  for (const record of records) {
    const path = isReal(record) ? join(realDir, record.vector.slice('real/'.length)) : join(ROOT, record.vector);
    assert.ok(existsSync(path), `${record.vector} was recorded and is gone: run node test/c14n-conformance/vectors.js`);
    const xml = vectorXml(JSON.parse(readFileSync(path, 'utf8')));
    assert.is(sha256([xml]), record.xml, `${record.vector} changed since it was recorded: run node test/c14n-conformance/vectors.js`);
    const doc = parse(xml);
    assert.is(sha256(canonicalize(doc.documentElement, INCLUSIVE, 'Response')), record.document, `${record.vector}: Response`);
    documents++;
    if (record.assertion !== null) {
      assert.is(sha256(canonicalize(childAssertion(doc.documentElement), INCLUSIVE, 'Assertion')), record.assertion, `${record.vector}: Assertion`);
      assertions++;
    }
  }
  // Ours alone: 94 documents and 91 assertions; with the 45 real ones, 139 and 125.
  if (realDir !== null) assert.ok(documents >= 130 && assertions >= 120, `${documents} documents, ${assertions} assertions`);
  else assert.ok(documents >= 90 && assertions >= 88, `${documents} documents, ${assertions} assertions`);
});

test('inclusive C14N equals libxml2 (lxml) on every conformance document, as a whole document', () => {
  assert.is(recorded.conformance.length, cases.length, 'cases.json changed: run node test/c14n-conformance/vectors.js');
  for (const [i, { name, document }] of recorded.conformance.entries()) {
    assert.is(cases[i].name, name);
    assert.is(sha256(canonicalize(parse(cases[i].xml).documentElement, INCLUSIVE, 'case')), document, name);
  }
});

// End to end: Responses signed by xmlsec1, both signatures with inclusive C14N.
const certificate = readFileSync(join(ROOT, signed.certificate), 'utf8');
const now = new Date(signed.now);
const responseXml = (name) => signed.responses.find((r) => r.name === name).xml;
const config = (policy) => ({ sp: { ...TEST_SP }, idp: { entityId: signed.idp, certificates: certificate }, policy, replayStore: createMemoryReplayStore() });
const validate = (xml, policy = {}) => validateResponse(config(policy), toPostBody(xml), { now });

async function rejected(xml, pattern, policy = {}) {
  try {
    await validate(xml, policy);
  } catch (error) {
    assert.instance(error, SamlError, String(error));
    assert.is(error.code, 'SIGNATURE_INVALID', error.message);
    assert.match(error.message, pattern);
    return;
  }
  assert.unreachable('accepted');
}

test('inclusive C14N: attributes sorted by namespace URI then local name, as a pair ({urn:a}z before {urn:ab}a): a response signed so by xmlsec1 is accepted', async () => {
  const xml = responseXml('attribute-order');
  assert.match(xml, /p:a="1" q:z="2"/); // as written: not in canonical order
  assert.is((await validate(xml)).nameId, 'jane.doe@example.com');
});

test("inclusive C14N: the Response's xml:lang and namespaces inherited onto the Assertion, and an xmlnsFoo attribute: a response signed so by xmlsec1 is accepted", async () => {
  assert.is((await validate(responseXml('inherited'))).nameId, 'jane.doe@example.com');
});

/** The Response without its own Signature (the first in the document): only the Assertion's is there to notice a change. */
const assertionSignedOnly = (xml) => xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '');
const ASSERTION_ONLY = { requireSignedResponse: false };

test('attack: an attribute named xmlnsFoo added after signing (inclusive C14N) is detected', async () => {
  const xml = responseXml('inherited');
  await rejected(xml.replace('<saml2p:Response ', '<saml2p:Response xmlnsBar="added" '), /digest of the signed Response \(ID "[^"]+"\) does not match/);
  const assertionOnly = assertionSignedOnly(xml);
  assert.is((await validate(assertionOnly, ASSERTION_ONLY)).nameId, 'jane.doe@example.com');
  await rejected(assertionOnly.replace('<saml2:Assertion ', '<saml2:Assertion xmlnsBar="added" '), /digest of the signed Assertion \(ID "[^"]+"\) does not match/, ASSERTION_ONLY);
  await rejected(assertionOnly.replace('xmlnsFoo="signed"', 'xmlnsFoo="changed"'), /digest of the signed Assertion \(ID "[^"]+"\) does not match/, ASSERTION_ONLY);
});

test("attack: the Response's xml:lang changed after signing is detected by the Assertion's signature (inclusive C14N inherits it onto the Assertion)", async () => {
  const xml = assertionSignedOnly(responseXml('inherited'));
  assert.is((await validate(xml, ASSERTION_ONLY)).nameId, 'jane.doe@example.com');
  await rejected(xml.replace('xml:lang="en"', 'xml:lang="fr"'), /digest of the signed Assertion \(ID "[^"]+"\) does not match/, ASSERTION_ONLY);
});

// Depth and breadth: each method renders these without recursion, and from one Map lookup per name.
function nested(depth, open, close) {
  let xml = '';
  for (let i = 0; i < depth; i++) xml += open(i);
  for (let i = depth - 1; i >= 0; i--) xml += close(i);
  return xml;
}

test('a deep document (10,000 nested elements, a fresh prefix on each) canonicalizes without stack overflow, in both methods', () => {
  const depth = 10_000;
  const xml = nested(depth, (i) => `<p${i}:e xmlns:p${i}="urn:${i}">`, (i) => `</p${i}:e>`);
  const root = parse(xml).documentElement;
  for (const method of [EXCLUSIVE, INCLUSIVE]) {
    const text = canonicalize(root, method, 'deep').join('');
    // Each prefix is declared once, where it is first in scope: the document is already canonical.
    assert.is(text, xml, method.algorithm);
  }
});

/** A Response with `bindings` prefixes declared and used on it, and an Assertion of `children` small children. */
function manyBindings(bindings, children) {
  const declarations = Array.from({ length: bindings }, (_, i) => ` xmlns:n${i}="urn:n${i}" n${i}:a="${i}"`).join('');
  const content = Array.from({ length: children }, (_, i) => `<saml:C${i % 3}><n${i % 7}:x/></saml:C${i % 3}>`).join('');
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r"${declarations}><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a">${content}</saml:Assertion></samlp:Response>`;
  const doc = parse(xml);
  return { response: doc.documentElement, assertion: childAssertion(doc.documentElement) };
}

test('reuse records, for each child of the Assertion, only the prefixes it looks up: not the 5,000 bindings around it', () => {
  for (const method of [EXCLUSIVE, INCLUSIVE]) {
    const { response, assertion } = manyBindings(5000, 60);
    const reuse = createSubtreeReuse(assertion);
    canonicalize(response, method, 'Response', reuse);
    assert.is(reuse.renderings.size, 60);
    for (const [child, [rendering]] of reuse.renderings) {
      // Alternating prefix, namespace: saml (and, in exclusive C14N, the n* prefix it uses).
      assert.ok(rendering.outer.length <= 4, `${child.tagName}: ${rendering.outer.length / 2} prefixes recorded`);
    }
    const alone = canonicalize(assertion, method, 'Assertion', null).join('');
    assert.is(canonicalize(assertion, method, 'Assertion', reuse).join(''), alone, method.algorithm);
  }
});

test('no renderings are kept for a parent of more than 64 element children (recording thousands of tiny ones costs more than it saves)', () => {
  const { response, assertion } = manyBindings(10, 65);
  const reuse = createSubtreeReuse(assertion);
  const text = canonicalize(response, EXCLUSIVE, 'Response', reuse).join('');
  assert.is(reuse.renderings.size, 0);
  assert.is(text, canonicalize(response, EXCLUSIVE, 'Response', null).join(''));
});

test.run();
