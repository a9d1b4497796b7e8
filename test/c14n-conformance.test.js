// saml-core's exclusive and inclusive C14N against xmlsec1's (libxml2), an independent
// implementation: for each case of test/c14n-conformance/cases.json, recorded by generate.js beside
// it, the SHA-256 of our canonical form of the element #apex (without its enveloped Signature) must
// be the DigestValue xmlsec1 computed when it signed that element. The cases reach each rule of the
// two specifications.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOMParser } from '@xmldom/xmldom';
import { C14N, canonicalize } from '../dist/xml/canonicalize.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const { cases } = JSON.parse(readFileSync(new URL('./c14n-conformance/cases.json', import.meta.url), 'utf8'));

function findApex(node) {
  if (node.nodeType === 1 && node.getAttribute('ID') === 'apex') return node;
  for (let n = node.firstChild; n !== null; n = n.nextSibling) {
    const found = findApex(n);
    if (found) return found;
  }
  return null;
}

function digestOf(parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('base64');
}

const METHODS = { exclusive: C14N.exc, inclusive: C14N.inclusive };

test('the recorded cases cover the specifications (enough of them, each with its own digest)', () => {
  for (const [method, least] of [['exclusive', 21], ['inclusive', 14]]) {
    const recorded = cases.filter((c) => c.method === method);
    assert.ok(recorded.length >= least, `${recorded.length} ${method} cases`);
    assert.is(new Set(recorded.map((c) => c.digest)).size, recorded.length, method);
  }
});

for (const { name, method, prefixes, xml, digest } of cases) {
  test(`${method} C14N as xmlsec1: ${name}`, () => {
    const doc = new DOMParser({ onError: (level, message) => { throw new Error(`${level}: ${message}`); } }).parseFromString(xml, 'text/xml');
    const apex = findApex(doc);
    const signature = Array.from(apex.childNodes).find((n) => n.localName === 'Signature' && n.namespaceURI === DS);
    apex.removeChild(signature);
    const parts = canonicalize(apex, { algorithm: METHODS[method], prefixes }, 'case');
    assert.is(digestOf(parts), digest, parts.join(''));
  });
}

test.run();
