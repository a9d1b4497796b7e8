// Round trip: the SP metadata createSpMetadata writes is read by two independent SAML stacks
// (Debian's pysaml2 and python3-saml, in test/helpers/read-sp-metadata.py) and they see what the
// config and options say: entity ID, ACS URL and binding, WantAssertionsSigned, NameIDFormat,
// Organization, contacts, validUntil. Without them, one line says this did not run (test/oracles.js).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSpMetadata } from '../dist/index.js';
import { roundTripOracle } from './oracles.js';

const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const oracle = roundTripOracle();

const config = (sp = {}, policy) => ({
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs', ...sp },
  idp: { certificates: 'x' },
  ...(policy ? { policy } : {}),
});

const FORMATS = { persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', 'urn:example:format': 'urn:example:format', any: null };
const FULL = {
  validUntil: new Date('2099-01-01T00:00:00Z'),
  organization: { name: 'Example Inc.', displayName: 'Example', url: 'https://www.example.com/', lang: 'fr' },
  contacts: [
    { type: 'technical', company: 'Example Inc.', givenName: 'Ann', surName: 'Lee', emailAddresses: ['ann@example.com'], telephoneNumbers: ['+1 555 0100'] },
    { type: 'support', emailAddresses: ['mailto:help@example.com', 'ops@example.com'] },
  ],
};
const HOSTILE = config({ entityId: 'https://app.example.com/?a=<b>&c="d"\'e\'>"/><x', acsUrl: 'https://app.example.com/acs?x="<y>"&z=é' });
const HOSTILE_NAME = 'Ev<i>l & "Co" \'x\' ]]> </md:OrganizationName>';
const DOCUMENTS = {
  default: createSpMetadata(config()),
  ...Object.fromEntries(Object.keys(FORMATS).map((nameIdFormat) => [nameIdFormat, createSpMetadata(config({}, { nameIdFormat }))])),
  full: createSpMetadata(config(), FULL),
  hostile: createSpMetadata(HOSTILE, { organization: { name: HOSTILE_NAME, url: 'https://example.com/?a=1&b=<2>' }, contacts: [{ type: 'other', company: ']]>&amp;' }] }),
  expired: createSpMetadata(config(), { validUntil: new Date('2001-01-01T00:00:00Z') }),
};

/**
 * What pysaml2 and python3-saml see in each document: one run of the helper for all of them,
 * started when this file loads so that Python works while the other test files run.
 */
async function read(documents) {
  const dir = mkdtempSync(join(tmpdir(), 'saml-core-roundtrip-'));
  try {
    const names = Object.keys(documents);
    const paths = names.map((name, i) => join(dir, `${i}.xml`));
    names.forEach((name, i) => writeFileSync(paths[i], documents[name]));
    const { stdout } = await promisify(execFile)(oracle.python, [oracle.script, ...paths], { encoding: 'utf8' });
    const lines = stdout.trim().split('\n');
    if (lines.length !== names.length) throw new Error(`the helper printed ${lines.length} lines for ${names.length} documents:\n${stdout}`);
    return Object.fromEntries(names.map((name, i) => [name, JSON.parse(lines[i])]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reading = oracle === null ? null : read(DOCUMENTS);
reading?.catch(() => {}); // awaited (and reported) in before()
let seen;
test.before(async () => {
  if (reading !== null) seen = await reading;
});

/** What both stacks must see for `cfg` (with `nameIdFormats` the resolved formats). */
function expected(cfg, nameIdFormats, extra = {}) {
  return {
    entityIds: [cfg.sp.entityId],
    spRoles: 1,
    idpRoles: 0,
    wantAssertionsSigned: 'true',
    authnRequestsSigned: 'false',
    protocolSupportEnumeration: 'urn:oasis:names:tc:SAML:2.0:protocol',
    nameIdFormats,
    acs: [{ binding: HTTP_POST, location: cfg.sp.acsUrl, index: '0', isDefault: 'true' }],
    acsByBinding: { [HTTP_POST]: [cfg.sp.acsUrl] },
    validUntil: null,
    contacts: [],
    ...extra,
  };
}

if (oracle !== null) {
  test('pysaml2 reads the default document as the config says; python3-saml finds no error in it', () => {
    assert.equal(seen.default.pysaml2, expected(config(), ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']));
    assert.equal(seen.default.onelogin.errors, []);
  });

  test('each policy.nameIdFormat comes back as its URI; "any" as none', () => {
    for (const [nameIdFormat, uri] of Object.entries(FORMATS)) {
      assert.equal(seen[nameIdFormat].pysaml2, expected(config({}, { nameIdFormat }), uri === null ? [] : [uri]));
      assert.equal(seen[nameIdFormat].onelogin.errors, []);
    }
  });

  test('every option comes back: validUntil, Organization (names, URL, lang), each contact in order', () => {
    assert.equal(seen.full.pysaml2, expected(config(), ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'], {
      validUntil: '2099-01-01T00:00:00.000Z',
      organization: {
        organization_name: [['Example Inc.', 'fr']],
        organization_display_name: [['Example', 'fr']],
        organization_url: [['https://www.example.com/', 'fr']],
      },
      contacts: [
        { type: 'technical', company: 'Example Inc.', givenName: 'Ann', surName: 'Lee', emailAddresses: ['mailto:ann@example.com'], telephoneNumbers: ['+1 555 0100'] },
        { type: 'support', company: null, givenName: null, surName: null, emailAddresses: ['mailto:help@example.com', 'mailto:ops@example.com'], telephoneNumbers: [] },
      ],
    }));
    assert.equal(seen.full.onelogin.errors, []);
  });

  test('hostile entity ID, ACS URL and names come back character for character', () => {
    assert.equal(seen.hostile.pysaml2, expected(HOSTILE, ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'], {
      organization: { organization_name: [[HOSTILE_NAME, 'en']], organization_display_name: [[HOSTILE_NAME, 'en']], organization_url: [['https://example.com/?a=1&b=<2>', 'en']] },
      contacts: [{ type: 'other', company: ']]>&amp;', givenName: null, surName: null, emailAddresses: [], telephoneNumbers: [] }],
    }));
    assert.equal(seen.hostile.onelogin.errors, []);
  });

  test('the readers judge validUntil: an expired document is dropped by pysaml2 and refused by python3-saml', () => {
    assert.equal(seen.expired.pysaml2.entityIds, []);
    assert.equal(seen.expired.onelogin.errors, ['expired_xml']);
  });
}

test.run();
