// Records libxml2's inclusive C14N 1.0 (without comments) of every vector (ours in vectors/, the real ones in
// ../shared/vectors-real/) and of every conformance document (cases.json), for the differential
// test in test/c14n-inclusive.test.js:
// - the whole document: python3-lxml's `etree.tostring(tree, method='c14n', with_comments=False)`
//   (libxml2's xmlC14NDocSaveTo; the Response as the apex, signatures included);
// - the Assertion that is a child of the Response, as a subtree of it (what makes the apex rules
//   matter: the Response's namespaces and xml:* attributes are inherited onto it): xmlsec1 signs it
//   with an added enveloped signature and inclusive C14N, and its DigestValue is the SHA-256 of
//   the Assertion's canonical form (the added Signature removed, the IdP's own kept).
// Each record carries the SHA-256 of the vector's XML, so a changed vector is seen as changed.
//
//   npm run build && node test/c14n-conformance/vectors.js   # rewrites test/c14n-conformance/vectors.json
//
// Needs python3-lxml and xmlsec1 (apt-get install -y python3-lxml xmlsec1); tests never run them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { parseResponse } from '../../dist/xml/parse.js';
import { OWN_VECTORS, ROOT, readVectors, realVectors } from '../vector-files.js';
import { childAssertion, vectorXml } from './vector-xml.js';

const here = new URL('.', import.meta.url).pathname;
const key = join(ROOT, 'vectors', 'keys', 'okta.key.pem');
const INCLUSIVE = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('base64');

const TEMPLATE =
  `<ds:Signature xmlns:ds="${DS}" Id="c14n-oracle"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${INCLUSIVE}"/>` +
  '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#REF"><ds:Transforms>' +
  `<ds:Transform Algorithm="${DS}enveloped-signature"/><ds:Transform Algorithm="${INCLUSIVE}"/></ds:Transforms>` +
  '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>' +
  '<ds:SignatureValue></ds:SignatureValue></ds:Signature>';

const dir = mkdtempSync(join(tmpdir(), 'c14n-vectors-'));
const file = join(dir, 'in.xml');

// xmllint --c14n keeps comments; lxml can leave them out.
const LXML = "import sys; from lxml import etree; sys.stdout.buffer.write(etree.tostring(etree.parse(sys.argv[1]), method='c14n', exclusive=False, with_comments=False))";

/** SHA-256 of libxml2's inclusive C14N of the document `xml`, or null when it refuses to canonicalize it (said why). */
function wholeDocument(xml, label) {
  writeFileSync(file, xml);
  try {
    return createHash('sha256').update(execFileSync('/usr/bin/python3', ['-c', LXML, file], { stdio: ['ignore', 'pipe', 'pipe'] })).digest('base64');
  } catch (error) {
    console.error(`${label}: lxml refused it: ${String(error.stderr).trim().split('\n').pop()}`);
    return null;
  }
}

/** xmlsec1's digest of the Assertion under the Response (inclusive C14N, as a subtree), or null. */
function assertionSubtree(xml, label) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const assertion = childAssertion(doc.documentElement);
  const id = assertion?.getAttribute('ID');
  if (!id) return null;
  const template = new DOMParser().parseFromString(TEMPLATE.replace('#REF', `#${id}`), 'text/xml').documentElement;
  assertion.appendChild(doc.importNode(template, true));
  writeFileSync(file, new XMLSerializer().serializeToString(doc));
  const output = join(dir, 'out.xml');
  const node = `${assertion.namespaceURI}:${assertion.localName}`;
  try {
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', key, '--id-attr:ID', node, '--node-xpath', "//*[@Id='c14n-oracle']", '--output', output, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    console.error(`${label}: xmlsec1 refused it: ${String(error.stderr).split('\n')[0]}`);
    return null;
  }
  const signed = readFileSync(output, 'utf8');
  return signed.slice(signed.indexOf('Id="c14n-oracle"')).match(/<ds:DigestValue>([^<]+)<\/ds:DigestValue>/)[1];
}

try {
  const records = [];
  const real = realVectors();
  if (real === null) throw new Error('the recorder needs the real vectors (../shared/vectors-real or SAML_REAL_VECTORS)');
  for (const { path, vector } of [...readVectors(OWN_VECTORS), ...real.vectors]) {
    const xml = vectorXml(vector);
    if (xml === null) continue;
    try {
      parseResponse(xml);
    } catch {
      continue; // refused by the parser: never canonicalized
    }
    // Real vectors are named by the folder they are read from (`real/NAME`), wherever it is.
    const name = path.startsWith(real.dir) ? `real/${relative(real.dir, path)}` : relative(ROOT, path);
    records.push({ vector: name, xml: sha256(xml), document: wholeDocument(xml, name), assertion: assertionSubtree(xml, name) });
  }
  const { cases } = JSON.parse(readFileSync(join(here, 'cases.json'), 'utf8'));
  const conformance = cases.map(({ name, method, xml }) => ({ name, method, document: wholeDocument(xml, name) }));
  const version = (tool) => execFileSync('sh', ['-c', `${tool} --version 2>&1`], { encoding: 'utf8' }).trim().split('\n')[0];
  const lxml = execFileSync('/usr/bin/python3', ['-c', "from lxml import etree; print('lxml', etree.__version__, 'libxml2', '.'.join(map(str, etree.LIBXML_VERSION)))"], { encoding: 'utf8' }).trim();
  const recorded = { generator: 'test/c14n-conformance/vectors.js', lxml, xmlsec1: version('xmlsec1'), records, conformance };
  writeFileSync(join(here, 'vectors.json'), `${JSON.stringify(recorded, null, 2)}\n`);
  console.log(`${records.length} vectors (${records.filter((r) => r.assertion).length} with an Assertion) and ${conformance.length} conformance documents recorded`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
