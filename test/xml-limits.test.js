// Structural limits of the XML (policy.xmlLimits), enforced while xmldom parses, before any
// signature work: a hostile body costs bounded, linear time (issue 10, section 1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_XML_LIMITS, parseResponse } from '../dist/xml/parse.js';
import { SamlError, validateResponse } from '../dist/index.js';
import { buildFixture } from '../bench/fixtures.js';
import { OWN_VECTORS, readVectors, realVectors } from './vector-files.js';
import { bodyOf, configOf } from './vector-runner.js';

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** A Response with `inner` as its content (the root is depth 1, element 1, one namespace declaration). */
const response = (inner) => `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="r1" Version="2.0">${inner}</samlp:Response>`;
const nested = (levels, open = () => '<x>', close = () => '</x>') =>
  Array.from({ length: levels }, (_, i) => open(i)).join('') + Array.from({ length: levels }, (_, i) => close(levels - 1 - i)).join('');
const attributes = (n) => Array.from({ length: n }, (_, i) => ` a${i}="v"`).join('');
const declarations = (n) => Array.from({ length: n }, (_, i) => ` xmlns:n${i}="urn:n${i}"`).join('');

function refused(fn, key, value) {
  try {
    fn();
  } catch (error) {
    assert.instance(error, SamlError);
    assert.is(error.code, 'INVALID_XML', error.message);
    assert.ok(error.message.includes(`the limit is ${DEFAULT_XML_LIMITS[key]} (policy.xmlLimits.${key}).`), error.message);
    assert.ok(error.message.includes(String(value)), `${error.message} should name ${value}`);
    assert.is(error.hint, `Raise policy.xmlLimits.${key} only if a real IdP sends such documents.`);
    return error;
  }
  assert.unreachable(`expected INVALID_XML naming policy.xmlLimits.${key}`);
}

// Each limit: the document at the limit parses, one past it is refused, naming the limit and the value.
const CASES = [
  {
    key: 'maxDepth',
    attack: 'deeply nested elements with fresh namespace prefixes',
    at: () => response(nested(DEFAULT_XML_LIMITS.maxDepth - 1, (i) => `<p${i}:x xmlns:p${i}="urn:p${i}">`, (i) => `</p${i}:x>`)),
    over: () => response(nested(DEFAULT_XML_LIMITS.maxDepth, (i) => `<p${i}:x xmlns:p${i}="urn:p${i}">`, (i) => `</p${i}:x>`)),
    value: `nests elements ${DEFAULT_XML_LIMITS.maxDepth + 1} deep`,
  },
  {
    key: 'maxElements',
    attack: 'a flood of tiny elements',
    at: () => response('<x/>'.repeat(DEFAULT_XML_LIMITS.maxElements - 1)),
    over: () => response('<x/>'.repeat(DEFAULT_XML_LIMITS.maxElements)),
    value: `has at least ${DEFAULT_XML_LIMITS.maxElements + 1} elements`,
  },
  {
    key: 'maxAttributesPerElement',
    attack: 'an element with thousands of attributes',
    // Namespace declarations are not attributes here: the element at the limit declares two more.
    at: () => response(`<x${attributes(DEFAULT_XML_LIMITS.maxAttributesPerElement)}${declarations(2)}/>`),
    over: () => response(`<x${attributes(DEFAULT_XML_LIMITS.maxAttributesPerElement + 1)}/>`),
    value: `"x" with ${DEFAULT_XML_LIMITS.maxAttributesPerElement + 1} attributes`,
  },
  {
    key: 'maxNamespaceDeclarationsPerElement',
    attack: 'an element declaring thousands of namespaces',
    at: () => response(`<x${declarations(DEFAULT_XML_LIMITS.maxNamespaceDeclarationsPerElement)}/>`),
    over: () => response(`<x${declarations(DEFAULT_XML_LIMITS.maxNamespaceDeclarationsPerElement + 1)}/>`),
    value: `"x" with ${DEFAULT_XML_LIMITS.maxNamespaceDeclarationsPerElement + 1} namespace declarations`,
  },
  {
    key: 'maxNamespaceDeclarations',
    attack: 'namespace declarations on every element (quadratic inclusive canonicalization)',
    // The root declares samlp; each child one more.
    at: () => response('<x xmlns:a="urn:a"/>'.repeat(DEFAULT_XML_LIMITS.maxNamespaceDeclarations - 1)),
    over: () => response('<x xmlns:a="urn:a"/>'.repeat(DEFAULT_XML_LIMITS.maxNamespaceDeclarations)),
    value: `has at least ${DEFAULT_XML_LIMITS.maxNamespaceDeclarations + 1} namespace declarations`,
  },
  {
    key: 'maxComments',
    attack: 'a flood of empty comments',
    at: () => response('<!---->'.repeat(DEFAULT_XML_LIMITS.maxComments)),
    over: () => response('<!---->'.repeat(DEFAULT_XML_LIMITS.maxComments + 1)),
    value: `has at least ${DEFAULT_XML_LIMITS.maxComments + 1} comments`,
  },
];

test('the default limits: every key of policy.xmlLimits, each a positive integer', () => {
  assert.equal(Object.keys(DEFAULT_XML_LIMITS).sort(), CASES.map((c) => c.key).sort());
  for (const value of Object.values(DEFAULT_XML_LIMITS)) assert.ok(Number.isInteger(value) && value > 0);
});

for (const c of CASES) {
  test(`attack: ${c.attack} (CPU DoS) are refused while parsing (${c.key})`, () => {
    assert.is(parseResponse(c.at()).response.localName, 'Response');
    refused(() => parseResponse(c.over()), c.key, c.value);
  });

  test(`parse: ${c.key} comes from the limits given (one lower refuses the document at the default limit)`, () => {
    const lower = { ...DEFAULT_XML_LIMITS, [c.key]: DEFAULT_XML_LIMITS[c.key] - 1 };
    try {
      parseResponse(c.at(), lower);
      assert.unreachable('expected the lowered limit to refuse the document');
    } catch (error) {
      assert.is(error.code, 'INVALID_XML', error.message);
      assert.ok(error.message.includes(`the limit is ${lower[c.key]} (policy.xmlLimits.${c.key})`), error.message);
    }
    const higher = { ...DEFAULT_XML_LIMITS, [c.key]: DEFAULT_XML_LIMITS[c.key] + 1 };
    assert.is(parseResponse(c.over(), higher).response.localName, 'Response');
  });
}

test('parse: the limits count on from the reader, not from the DOM: a later parse starts from zero', () => {
  const half = response('<x/>'.repeat(Math.ceil(DEFAULT_XML_LIMITS.maxElements / 2)));
  parseResponse(half);
  parseResponse(half);
  parseResponse(half);
});

// ---------------------------------------------------------------------------------------------
// Through validateResponse: refused before the signature is checked; policy.xmlLimits reaches the parser.

const VECTOR = JSON.parse(readFileSync(join(OWN_VECTORS, 'okta', 'okta-groups-multi-valued.json'), 'utf8'));
const OPTIONS = { now: new Date(VECTOR.now), requestId: VECTOR.request_id };
const SIGNED_XML = atob(new URLSearchParams(bodyOf(VECTOR)).get('SAMLResponse'));
const withPolicy = (policy) => {
  const config = configOf(VECTOR);
  return { ...config, policy: { ...config.policy, ...policy } };
};

/** The signed Okta response with `payload` inside its first AttributeValue: it still looks signed, but the digest no longer matches. */
function hostileBody(payload) {
  const at = SIGNED_XML.indexOf('>', SIGNED_XML.indexOf('<saml2:AttributeValue')) + 1;
  const xml = SIGNED_XML.slice(0, at) + payload + SIGNED_XML.slice(at);
  return { SAMLResponse: btoa(xml) };
}

async function code(config, body) {
  try {
    await validateResponse(config, body, OPTIONS);
    return 'ACCEPTED';
  } catch (error) {
    assert.instance(error, SamlError);
    return `${error.code}: ${error.message}`;
  }
}

test('the signed vector validates under the default limits (the payload below is what changes)', async () => {
  assert.is((await validateResponse(configOf(VECTOR), bodyOf(VECTOR), OPTIONS)).nameId, 'jane.doe@example.com');
});

const HOSTILE = {
  maxDepth: nested(DEFAULT_XML_LIMITS.maxDepth, (i) => `<p${i}:x xmlns:p${i}="urn:p${i}">`, (i) => `</p${i}:x>`),
  maxElements: '<x/>'.repeat(DEFAULT_XML_LIMITS.maxElements),
  maxAttributesPerElement: `<x${attributes(DEFAULT_XML_LIMITS.maxAttributesPerElement + 1)}/>`,
  maxNamespaceDeclarationsPerElement: `<x${declarations(DEFAULT_XML_LIMITS.maxNamespaceDeclarationsPerElement + 1)}/>`,
  maxNamespaceDeclarations: '<x xmlns:a="urn:a"/>'.repeat(DEFAULT_XML_LIMITS.maxNamespaceDeclarations),
  maxComments: '<!---->'.repeat(DEFAULT_XML_LIMITS.maxComments + 1),
};

// Comments are not in the canonical form, so the digest still matches once they are allowed.
const AFTER_RAISING = { maxComments: 'ACCEPTED' };

for (const [key, payload] of Object.entries(HOSTILE)) {
  const after = AFTER_RAISING[key] ?? 'SIGNATURE_INVALID: ';
  test(`attack: a signed-looking response over ${key} is refused before the signature is checked; raising policy.xmlLimits.${key} lets it through to ${after.replace(': ', '')}`, async () => {
    const body = hostileBody(payload);
    const refusedWith = await code(configOf(VECTOR), body);
    assert.ok(refusedWith.startsWith('INVALID_XML: '), refusedWith);
    assert.ok(refusedWith.includes(`(policy.xmlLimits.${key})`), refusedWith);
    const raised = await code(withPolicy({ xmlLimits: { [key]: DEFAULT_XML_LIMITS[key] * 2 } }), body);
    assert.ok(raised.startsWith(after), raised);
  });
}

test('policy.xmlLimits: a lowered limit refuses a real signed response (the policy reaches the parser)', async () => {
  const result = await code(withPolicy({ xmlLimits: { maxDepth: 3 } }), bodyOf(VECTOR));
  assert.ok(result.startsWith('INVALID_XML: The XML nests elements 4 deep; the limit is 3 (policy.xmlLimits.maxDepth).'), result);
});

// ---------------------------------------------------------------------------------------------
// The margin: every real and own response, and the 1000-attribute fixtures, within a quarter of each default.

const QUARTER = Object.fromEntries(Object.entries(DEFAULT_XML_LIMITS).map(([key, value]) => [key, Math.floor(value / 4)]));

function xmlOfVector(vector) {
  const body = bodyOf(vector);
  const samlResponse = typeof body === 'string' ? new URLSearchParams(body).get('SAMLResponse') : body.SAMLResponse;
  return new TextDecoder().decode(Uint8Array.from(atob(samlResponse), (c) => c.charCodeAt(0)));
}

test('every real and own vector that parses under the defaults also parses within a quarter of every limit', () => {
  let checked = 0;
  // The real vectors when they are here (test/vector-files.js says so in one line when not).
  for (const set of [realVectors()?.vectors ?? [], readVectors(OWN_VECTORS)]) {
    for (const { path, vector } of set) {
      let xml;
      try {
        xml = xmlOfVector(vector);
        parseResponse(xml);
      } catch {
        continue; // not a parseable Response (a malformed-input attack vector): the vector suite judges it
      }
      try {
        parseResponse(xml, QUARTER);
      } catch (error) {
        assert.unreachable(`${path}: ${error.message}`);
      }
      checked++;
    }
  }
  // Ours alone parse 94 times; with the 45 real ones, over 130.
  assert.ok(checked >= (realVectors() ? 130 : 90), `only ${checked} vectors checked`);
});

test('the 1000-attribute benchmark fixtures parse within a quarter of every limit', async () => {
  for (const name of ['okta-1000', 'azure-1000']) {
    const { inputs } = await buildFixture(name, { verify: false });
    parseResponse(xmlOfVector({ saml_response: inputs.valid.SAMLResponse }), QUARTER);
  }
});

test.run();
