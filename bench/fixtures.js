#!/usr/bin/env node
/**
 * The benchmark's fixtures: Okta- and Entra ID-shaped Responses (the shapes of vectors/) with 5, 100
 * and 1000 attributes, signed as the IdPs sign them (Assertion first, then Response; exclusive C14N,
 * RSA-SHA256, SHA-256), each with two one-byte tampered copies.
 *
 *   npm run build && node bench/fixtures.js [--out DIR]   # writes them as vectors (VECTORS.md)
 *
 * The benchmark builds them in memory (buildFixture); this command only writes them out to look at
 * or to replay with --vector. The IdP key is the benchmark's own, made once into bench/fixtures/ and
 * read back, so the fixtures are the same bytes on every run.
 *
 * The validity windows span decades (2024..2049) so that the peers, which judge times by the real
 * clock, accept them without a widened clock skew; saml-core judges them at the fixed NOW.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import * as idp from '../dist/node/test-idp.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const KEY_DIR = join(HERE, 'fixtures');

/** saml-core judges every fixture at this instant (the vectors' `now`). */
export const NOW = '2026-11-22T10:00:30Z';
const ISSUED = new Date('2024-01-01T00:00:00Z');
const VALID_UNTIL = '2049-01-01T00:00:00Z';
export const REQUEST_ID = '_0d5c2a4e9b7f4c1d8e3a6b5f2c1d0e9f';
export const USER = 'jane.doe@example.com';

export const SHAPES = ['okta', 'azure'];
export const SIZES = [5, 100, 1000];
export const FIXTURE_NAMES = SHAPES.flatMap((shape) => SIZES.map((size) => `${shape}-${size}`));

/** The copies of each fixture, in the order the verdicts are shown. */
export const VARIANTS = ['valid', 'tampered-assertion', 'tampered-response'];

const { xmlsoap: CLAIMS, microsoft: MS_CLAIMS } = idp.CLAIM_NAMESPACES;

/** The first five claims each IdP sends; larger fixtures add generated ones in the same style. */
const BASE_ATTRIBUTES = {
  okta: { firstName: ['Jane'], lastName: ['Doe'], email: [USER], login: [USER], department: ['Engineering'] },
  azure: {
    [`${MS_CLAIMS}/tenantid`]: [idp.TEST_IDPS.azure.tenantId],
    [`${MS_CLAIMS}/objectidentifier`]: ['5b1f3c2a-7d4e-4a9b-8c6d-2e1f0a9b8c7d'],
    [`${CLAIMS}/givenname`]: ['Jane'],
    [`${CLAIMS}/surname`]: ['Doe'],
    [`${CLAIMS}/name`]: [USER],
  },
};
const extraAttributeName = { okta: (i) => `customAttribute${i}`, azure: (i) => `${CLAIMS}/extension_attribute${i}` };

function attributesFor(shape, count) {
  const attributes = { ...BASE_ATTRIBUTES[shape] };
  for (let i = Object.keys(attributes).length + 1; i <= count; i++) {
    attributes[extraAttributeName[shape](String(i).padStart(4, '0'))] = [`value ${i} of ${count}`];
  }
  return attributes;
}

/** The benchmark's IdP key and certificate (valid 2020..2049), made once and then read back. */
async function loadKey() {
  const keyFile = join(KEY_DIR, 'idp.key.pem');
  const certFile = join(KEY_DIR, 'idp.crt.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(KEY_DIR, { recursive: true });
    const made = await idp.generateTestCredentials({
      commonName: 'saml-core benchmark IdP',
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2049-12-31T00:00:00Z'),
    });
    writeFileSync(keyFile, made.privateKeyPem);
    writeFileSync(certFile, made.certificatePem);
  }
  return { privateKeyPem: readFileSync(keyFile, 'utf8'), certificatePem: readFileSync(certFile, 'utf8') };
}

let keyPromise = null;
const key = () => (keyPromise ??= loadKey());

/** Stable IDs in each IdP's own format (as vectors/generate.js makes them). */
function idFor(shape, name, role) {
  const hash = createHash('sha256').update(`bench/${name}/${role}`).digest();
  if (shape === 'okta') return `id${Array.from(hash.subarray(0, 26), (b, i) => (i === 0 ? 1 + (b % 9) : b % 10)).join('')}`;
  const hex = hash.toString('hex');
  return `_${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Another ASCII letter or digit in place of `c`, so the change is one byte and stays well-formed. */
const otherChar = (c) => (c === 'x' ? 'y' : 'x');

/** One byte of the first attribute value changed: inside the Assertion, so both signatures break. */
function tamperAssertion(xml) {
  const match = /<(?:\w+:)?AttributeValue\b[^>]*>([^<]+)</.exec(xml);
  if (!match) throw new Error('no AttributeValue text to tamper with');
  const at = match.index + match[0].length - 2; // the value's last character
  return xml.slice(0, at) + otherChar(xml[at]) + xml.slice(at + 1);
}

/**
 * One byte of the Response's own IssueInstant changed (its seconds' last digit): inside what the
 * Response signature signs, outside the Assertion, and still a valid past instant, so no protocol
 * check can notice it: only verifying the Response signature does.
 */
function tamperResponse(xml) {
  const rootStart = xml.indexOf('<', xml.startsWith('<?xml') ? xml.indexOf('?>') : 0);
  const rootTag = xml.slice(rootStart, xml.indexOf('>', rootStart));
  const match = /IssueInstant="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d)\d/.exec(rootTag);
  if (!match) throw new Error('no IssueInstant on the Response element');
  const at = rootStart + match.index + 'IssueInstant="'.length + match[1].length;
  return xml.slice(0, at) + (xml[at] === '1' ? '2' : '1') + xml.slice(at + 1);
}

/**
 * Which of the two signatures xml-crypto (not saml-core) finds valid: a check that each tampered
 * copy breaks exactly the signatures it is meant to.
 */
function signatureStates(xml, certificatePem) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement;
  const assertion = idp.findAssertion(doc);
  const state = (element) => {
    const signature = idp.childElements(element).find((e) => e.localName === 'Signature' && e.namespaceURI === idp.NS.dsig);
    const sig = new SignedXml({ publicCert: createPublicKey(certificatePem) });
    sig.loadSignature(signature);
    try {
      return sig.checkSignature(xml) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  };
  return { response: state(response), assertion: state(assertion) };
}

const EXPECTED_SIGNATURES = {
  valid: { response: 'valid', assertion: 'valid' },
  'tampered-assertion': { response: 'invalid', assertion: 'invalid' },
  'tampered-response': { response: 'invalid', assertion: 'valid' },
};

/**
 * Fixture `name` (`okta-100`, ...): { name, vector, inputs, expected }. `vector` is the valid
 * response in the shared vector format (the config every candidate is set up from); `inputs` holds
 * the posted fields of each variant, `expected` what a strict validator must say of each.
 * `verify: false` skips the xml-crypto check of the copies' signatures (seconds at 1 MiB), for a
 * caller that checks the verdicts itself.
 */
export async function buildFixture(name, { verify = true } = {}) {
  const match = /^(okta|azure)-(\d+)$/.exec(name);
  if (!match) throw new Error(`unknown fixture ${name}; known: ${FIXTURE_NAMES.join(', ')} (or any other number of attributes)`);
  const [, shape, size] = match;
  const { privateKeyPem, certificatePem } = await key();
  const assertionId = idFor(shape, name, 'assertion');
  const unsigned = idp.buildResponse({
    shape,
    now: ISSUED,
    responseId: idFor(shape, name, 'response'),
    assertionId,
    inResponseTo: REQUEST_ID,
    sessionIndex: shape === 'azure' ? assertionId : idFor(shape, name, 'session'),
    notBefore: ISSUED.toISOString(),
    notOnOrAfter: VALID_UNTIL,
    subjectConfirmationNotOnOrAfter: VALID_UNTIL,
    nameId: USER,
    attributes: attributesFor(shape, Number(size)),
  });
  const signed = idp.signResponse(unsigned, { privateKeyPem, certificatePem });
  const xmls = { valid: signed, 'tampered-assertion': tamperAssertion(signed), 'tampered-response': tamperResponse(signed) };

  for (const variant of verify ? VARIANTS : []) {
    const found = signatureStates(xmls[variant], certificatePem);
    const wanted = EXPECTED_SIGNATURES[variant];
    if (found.response !== wanted.response || found.assertion !== wanted.assertion) {
      throw new Error(`fixture ${name} ${variant}: signatures ${JSON.stringify(found)}, wanted ${JSON.stringify(wanted)}`);
    }
  }

  const inputs = Object.fromEntries(VARIANTS.map((v) => [v, { SAMLResponse: Buffer.from(xmls[v], 'utf8').toString('base64') }]));
  const { entityId, ssoUrl } = idp.TEST_IDPS[shape];
  const vector = {
    name,
    idp: shape,
    category: 'control',
    description: `Benchmark fixture: ${shape}-shaped SP-initiated login with ${size} attributes, both signatures (RSA-SHA256, exclusive C14N).`,
    source: 'generated by bench/fixtures.js',
    sp: { ...idp.TEST_SP },
    idp_config: { entityId, ssoUrl, certificates: [certificatePem.trim()] },
    policy: { require_signed_response: true, require_signed_assertion: true, name_id_format: 'emailAddress' },
    allow_idp_initiated: false,
    request_id: REQUEST_ID,
    now: NOW,
    body: idp.formBody(inputs.valid),
    expect: { valid: true, name_id: USER },
    replay_of: null,
    signatures: EXPECTED_SIGNATURES.valid,
  };
  return {
    name,
    vector,
    inputs,
    expected: { valid: { valid: true, nameId: USER }, 'tampered-assertion': { valid: false }, 'tampered-response': { valid: false } },
  };
}

/** Writes every fixture (and its tampered copies) as vector files. */
async function main() {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : join(KEY_DIR, 'out');
  mkdirSync(out, { recursive: true });
  for (const name of FIXTURE_NAMES) {
    const fixture = await buildFixture(name);
    for (const variant of VARIANTS) {
      const vector = { ...fixture.vector, body: idp.formBody(fixture.inputs[variant]) };
      if (variant !== 'valid') {
        Object.assign(vector, {
          name: `${name}-${variant}`,
          category: 'attack',
          description: `${fixture.vector.description} One byte changed ${variant === 'tampered-assertion' ? 'in an attribute value (both signatures break)' : "in the Response's IssueInstant (only the Response signature breaks)"}.`,
          expect: { valid: false, class: 'signature' },
          signatures: EXPECTED_SIGNATURES[variant],
        });
      }
      writeFileSync(join(out, `${vector.name}.json`), `${JSON.stringify(vector, null, 2)}\n`);
    }
  }
  console.log(`wrote ${FIXTURE_NAMES.length * VARIANTS.length} vectors to ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
