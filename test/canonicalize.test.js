// Subtree reuse between the Response's and the Assertion's canonicalization must never change a
// canonical form: for every vector and every pair of methods, the Assertion canonicalized after
// the Response (reusing renderings) is byte-identical to the Assertion canonicalized alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOMParser } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto/lib/exclusive-canonicalization.js';
import { C14N, canonicalize, createSubtreeReuse } from '../dist/xml/canonicalize.js';
import { parseResponse } from '../dist/xml/parse.js';
import { OWN_VECTORS, readVectors, realVectors } from './vector-files.js';
import { childAssertion, vectorXml } from './c14n-conformance/vector-xml.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';

const parse = (xml) => new DOMParser({ onError: () => {} }).parseFromString(xml, 'text/xml');
const ownSignature = (element) => Array.from(element.childNodes).find((n) => n.localName === 'Signature' && n.namespaceURI === DS) ?? null;

/** Canonicalize `element` as its enveloped signature's digest sees it: without that Signature. */
function withoutSignature(element, method, reuse) {
  const signature = ownSignature(element);
  const next = signature?.nextSibling ?? null;
  if (signature) element.removeChild(signature);
  try {
    return canonicalize(element, method, element.localName, reuse).join('');
  } finally {
    if (signature) element.insertBefore(signature, next);
  }
}

// Our vectors, and the real IdP responses when they are here (test/vector-files.js).
const ownVectors = readVectors(OWN_VECTORS);
const allVectors = [...ownVectors, ...(realVectors()?.vectors ?? [])];
// (The floors of the counts below: ours alone give 91 Responses with an Assertion and 555
// comparisons, ours and the 45 real ones 125 and 792.)

const METHODS = [
  { algorithm: C14N.exc, prefixes: [] },
  { algorithm: C14N.exc, prefixes: ['xs'] },
  { algorithm: C14N.exc, prefixes: ['xs', 'xsi', 'saml', 'saml2'] },
  { algorithm: C14N.inclusive, prefixes: [] },
];

/** For each pair of methods: the Assertion's canonical form with reuse equals the one without. Returns the reuse count. */
function assertSameWithReuse(xml, label) {
  const doc = parse(xml);
  const response = doc.documentElement;
  const assertion = childAssertion(response);
  if (!assertion) return null;
  let reused = 0;
  for (const responseMethod of METHODS) {
    for (const assertionMethod of METHODS) {
      const alone = withoutSignature(assertion, assertionMethod, null);
      const reuse = createSubtreeReuse(assertion);
      const responseText = withoutSignature(response, responseMethod, reuse);
      assert.is(withoutSignature(response, responseMethod, null), responseText, `${label}: Response, ${responseMethod.algorithm} ${responseMethod.prefixes}`);
      const after = withoutSignature(assertion, assertionMethod, reuse);
      assert.is(after, alone, `${label}: Assertion ${assertionMethod.algorithm} [${assertionMethod.prefixes}] after Response ${responseMethod.algorithm} [${responseMethod.prefixes}]`);
      reused += reuse.reused;
    }
  }
  return reused;
}

test('reuse never changes a canonical form, on every vector of ours and every real one', () => {
  let checked = 0;
  for (const { vector } of allVectors) {
    const xml = vectorXml(vector);
    if (xml === null) continue; // not base64 UTF-8: an input vector, rejected before any canonicalization
    try {
      parseResponse(xml);
    } catch {
      continue; // refused by the parser: never canonicalized
    }
    if (assertSameWithReuse(xml, vector.name) !== null) checked++;
  }
  assert.ok(checked >= (allVectors.length > ownVectors.length ? 120 : 88), `expected most vectors to have a Response with an Assertion; checked ${checked}`);
});

/** Prefix bindings in scope on `element` from its ancestors, for xml-crypto's `ancestorNamespaces`. */
function inheritedBindings(element) {
  const out = [];
  const seen = new Set(Array.from(element.attributes).filter((a) => a.prefix === 'xmlns').map((a) => a.localName));
  for (let p = element.parentNode; p && p.nodeType === 1; p = p.parentNode) {
    for (const a of Array.from(p.attributes)) {
      if (a.prefix !== 'xmlns' || seen.has(a.localName)) continue;
      seen.add(a.localName);
      out.push({ prefix: a.localName, namespaceURI: a.value });
    }
  }
  return out;
}

/** xml-crypto's exclusive C14N of `element` without its Signature (changes the element: parse a copy). */
function xmlCryptoExclusive(element, prefixes) {
  const signature = ownSignature(element);
  if (signature) element.removeChild(signature);
  return new ExclusiveCanonicalization().process(element, { inclusiveNamespacesPrefixList: prefixes, ancestorNamespaces: inheritedBindings(element) });
}

// The exclusive canonicalizer replaced xml-crypto's (for speed: bench/README.md). On every real
// and own vector the two agree; where they do not, on crafted input, test/c14n-conformance.test.js
// shows ours agreeing with xmlsec1 (xml-crypto writes xmlns="" twice, orders prefixes by locale and
// declares an attribute's local name found in the PrefixList).
test("exclusive C14N equals xml-crypto's on every vector, for the Response and the Assertion", () => {
  let compared = 0;
  for (const { vector } of allVectors) {
    const xml = vectorXml(vector);
    try {
      parseResponse(xml);
    } catch {
      continue; // never canonicalized
    }
    for (const prefixes of [[], ['xs'], ['xs', 'xsi', 'saml', 'saml2', 'samlp']]) {
      for (const pick of [(doc) => doc.documentElement, (doc) => childAssertion(doc.documentElement)]) {
        const ours = pick(parse(xml));
        const theirs = pick(parse(xml));
        if (!ours) continue;
        assert.is(withoutSignature(ours, { algorithm: C14N.exc, prefixes }, null), xmlCryptoExclusive(theirs, prefixes), `${vector.name}: ${ours.localName} [${prefixes}]`);
        compared++;
      }
    }
  }
  assert.ok(compared >= (allVectors.length > ownVectors.length ? 600 : 540), `compared ${compared}`);
});

test('an Okta-shaped and an Azure-shaped response reuse every child of the Assertion', () => {
  for (const name of ['okta/okta-sp-initiated-5-attributes.json', 'azure/azure-sp-initiated.json']) {
    const vector = JSON.parse(readFileSync(join(OWN_VECTORS, name), 'utf8'));
    const doc = parse(vectorXml(vector));
    const assertion = childAssertion(doc.documentElement);
    const reuse = createSubtreeReuse(assertion);
    withoutSignature(doc.documentElement, { algorithm: C14N.exc, prefixes: name.startsWith('okta') ? ['xs'] : [] }, reuse);
    withoutSignature(assertion, { algorithm: C14N.exc, prefixes: name.startsWith('okta') ? ['xs'] : [] }, reuse);
    const children = Array.from(assertion.childNodes).filter((n) => n.nodeType === 1 && n !== ownSignature(assertion));
    assert.is(reuse.reused, children.length, name);
  }
});

// Contexts where the Response around the Assertion changes how its content renders.
const CASES = {
  'default namespace inherited from an unprefixed Response':
    '<Response xmlns="urn:protocol" ID="r"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"><Extra><saml:Issuer>i</saml:Issuer></Extra></saml:Assertion></Response>',
  'a PrefixList prefix declared on the Response and redundantly inside the Assertion':
    '<p:Response xmlns:p="urn:protocol" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="r"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"><saml:AttributeStatement xmlns:xs="http://www.w3.org/2001/XMLSchema"><saml:Attribute Name="n"><saml:AttributeValue>v</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></p:Response>',
  'a prefix the Response binds to another namespace than the Assertion content':
    '<saml:Response xmlns:saml="urn:protocol" ID="r"><a:Assertion xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">i</saml:Issuer><a:Subject><saml:X/></a:Subject></a:Assertion></saml:Response>',
  'the Assertion content uses the Response prefix in the same namespace':
    '<p:Response xmlns:p="urn:protocol" ID="r"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"><saml:Subject><p:Extension/></saml:Subject></saml:Assertion></p:Response>',
};

for (const [name, xml] of Object.entries(CASES)) {
  test(`reuse renders the same: ${name}`, () => {
    assert.ok(assertSameWithReuse(xml, name) !== null);
  });
}

test('reuse is refused where the context changes the rendering', () => {
  const doc = parse(CASES['default namespace inherited from an unprefixed Response']);
  const assertion = childAssertion(doc.documentElement);
  const reuse = createSubtreeReuse(assertion);
  const method = { algorithm: C14N.exc, prefixes: [] };
  canonicalize(doc.documentElement, method, 'Response', reuse);
  const alone = canonicalize(assertion, method, 'Assertion', reuse).join('');
  assert.is(reuse.reused, 0);
  assert.ok(alone.includes('<Extra xmlns="urn:protocol">'), alone);
});

test.run();
