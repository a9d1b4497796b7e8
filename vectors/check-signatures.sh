#!/usr/bin/env bash
# Has xmlsec1 (an XML-DSig implementation independent of saml-core and of xml-crypto) confirm the
# `signatures` claim of every generated vector, and that every body decodes to a document.
#
#   vectors/check-signatures.sh            # all vectors in vectors/{okta,azure,attacks}
#   vectors/check-signatures.sh FILE...    # some vectors
#
# Needs xmlsec1 (apt-get install -y xmlsec1) and node. Exit status 1 when any claim is wrong.
#
# How a vector is judged:
# - The SAMLResponse is taken from `body` (or `saml_response`) and base64-decoded. Vectors whose
#   attack is the encoding are decoded leniently, the way a lenient consumer would: characters
#   outside the base64 alphabet are dropped and decoding stops at the first padding; bytes that do
#   not start with "<" are raw-inflated (HTTP-Redirect DEFLATE). The bytes go to xmlsec1 unchanged,
#   so UTF-16 and Latin-1 documents are read by libxml2 under their own encoding declarations.
# - "response": the ds:Signature elements that are direct children of the root element.
#   "assertion": the ds:Signature elements that are direct children of any Assertion element
#   (SAML 2.0 or 1.x), wherever that Assertion is. Each group is "absent" when empty, "valid" when
#   xmlsec1 verifies every signature in it with one of the configured certificates, else "invalid".
# - xmlsec1 checks the cryptography of whatever the Reference URI names (it registers the ID
#   attributes of SAML Responses and Assertions) and never uses a key from the document
#   (--enabled-key-data limits KeyInfo to key values; certificates in KeyInfo are ignored). It does not
#   check where a signature sits or what it covers: signature wrapping vectors are "valid" here and
#   must still be rejected by saml-core.
# - A vector without a `signatures` key claims that xmlsec1 cannot judge it (the document does not
#   parse, or no configured certificate loads); the script checks that too.
set -euo pipefail
cd "$(dirname "$0")"
command -v xmlsec1 >/dev/null || { echo "xmlsec1 not found: apt-get install -y xmlsec1" >&2; exit 2; }

if [ "$#" -eq 0 ]; then set -- okta/*.json azure/*.json attacks/*.json; fi

node --input-type=module - "$@" <<'NODE'
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ASSERTION_NS = ['urn:oasis:names:tc:SAML:2.0:assertion', 'urn:oasis:names:tc:SAML:1.0:assertion'];
const ID_ATTRS = [
  ['ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion'],
  ['ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response'],
  ['ID', 'urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse'],
  ['AssertionID', 'urn:oasis:names:tc:SAML:1.0:assertion:Assertion'],
  ['ResponseID', 'urn:oasis:names:tc:SAML:1.0:protocol:Response'],
].flatMap(([attr, node]) => [`--id-attr:${attr}`, node]);

const work = mkdtempSync(join(tmpdir(), 'saml-vectors-'));
let failures = 0;

function samlResponseOf(vector) {
  if (vector.saml_response) return vector.saml_response;
  return new URLSearchParams(vector.body).get('SAMLResponse') ?? '';
}

/** Strict base64 first; else the lenient reading (drop non-alphabet characters, stop at padding). */
function decode(value) {
  const strict = /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value) && value.replace(/[\r\n]/g, '').length % 4 === 0;
  let bytes = strict ? Buffer.from(value, 'base64') : Buffer.from(/^[A-Za-z0-9+/]*={0,2}/.exec(value.replace(/[^A-Za-z0-9+/=]/g, ''))[0], 'base64');
  const lenient = !strict;
  const looksXml = (b) => b[0] === 0x3c || (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0xef && b[1] === 0xbb);
  let inflated = false;
  if (!looksXml(bytes)) {
    bytes = inflateRawSync(bytes);
    inflated = true;
  }
  return { bytes, lenient, inflated };
}

/** The document as text, for locating signatures (xmlsec1 itself reads the bytes). */
function text(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const head = bytes.subarray(0, 100).toString('latin1');
  const declared = /encoding="([^"]+)"/.exec(head)?.[1]?.toLowerCase();
  return new TextDecoder(declared === 'iso-8859-1' ? 'latin1' : 'utf-8').decode(bytes);
}

/** Positional XPaths (/*[1]/*[3]...) of the response and assertion signatures, or null if the text does not parse. */
function signaturePaths(xml) {
  let doc;
  try {
    // The DTD is dropped only for locating signatures; xmlsec1 gets the document as it is.
    doc = new DOMParser({ onError: (level, message) => { throw new Error(`${level}: ${message}`); } })
      .parseFromString(xml.replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/, ''), 'text/xml');
  } catch {
    return null;
  }
  const groups = { response: [], assertion: [] };
  const elements = (node) => Array.from(node.childNodes ?? []).filter((n) => n.nodeType === 1);
  const walk = (element, path, isRoot) => {
    elements(element).forEach((childElement, i) => {
      const childPath = `${path}/*[${i + 1}]`;
      if (childElement.namespaceURI === DSIG && childElement.localName === 'Signature') {
        if (isRoot) groups.response.push(childPath);
        if (element.localName === 'Assertion' && ASSERTION_NS.includes(element.namespaceURI)) groups.assertion.push(childPath);
      }
      walk(childElement, childPath, false);
    });
  };
  const root = doc.documentElement;
  walk(root, '/*[1]', true);
  return groups;
}

function verify(file, xpath, certFiles) {
  return certFiles.some((cert) => {
    try {
      execFileSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--enabled-key-data', 'rsa,ecdsa,dsa', ...ID_ATTRS, '--node-xpath', xpath, file], {
        stdio: 'ignore',
        timeout: 30_000,
      });
      return true;
    } catch {
      return false;
    }
  });
}

for (const path of process.argv.slice(2)) {
  const vector = JSON.parse(readFileSync(path, 'utf8'));
  const problems = [];
  let found;
  try {
    const { bytes, lenient, inflated } = decode(samlResponseOf(vector));
    const certFiles = vector.idp_config.certificates.flatMap((pem, i) => {
      try {
        new X509Certificate(pem);
      } catch {
        return [];
      }
      const file = join(work, `${vector.name}.${i}.pem`);
      writeFileSync(file, pem);
      return [file];
    });
    const docFile = join(work, `${vector.name}.xml`);
    writeFileSync(docFile, bytes);
    const paths = signaturePaths(text(bytes));
    if (paths !== null && certFiles.length > 0) {
      found = {};
      for (const [group, xpaths] of Object.entries(paths)) {
        found[group] = xpaths.length === 0 ? 'absent' : xpaths.every((x) => verify(docFile, x, certFiles)) ? 'valid' : 'invalid';
      }
    }
    if (lenient || inflated) console.log(`  note ${vector.name}: decoded ${[lenient && 'leniently', inflated && 'and inflated'].filter(Boolean).join(' ')}`);
  } catch (error) {
    problems.push(`body does not decode: ${error.message}`);
  }
  const claimed = vector.signatures;
  if (JSON.stringify(claimed) !== JSON.stringify(found)) {
    problems.push(`claims ${JSON.stringify(claimed ?? 'no judgment')}, xmlsec1 finds ${JSON.stringify(found ?? 'no judgment (unparseable document or no loadable certificate)')}`);
  }
  if (problems.length > 0) {
    failures++;
    console.log(`FAIL ${path}: ${problems.join('; ')}`);
  } else {
    console.log(`ok   ${path} ${JSON.stringify(found ?? 'no judgment')}`);
  }
}
rmSync(work, { recursive: true, force: true });
console.log(failures === 0 ? `all ${process.argv.length - 2} vectors agree with xmlsec1` : `${failures} vector(s) disagree with xmlsec1`);
process.exit(failures === 0 ? 0 : 1);
NODE
