// Schema oracle: every XML document saml-core builds validates against the OASIS SAML 2.0 schemas
// with libxml2 (`xmllint --noout --nonet --schema`): the SP metadata in several option combinations
// against saml-schema-metadata-2.0.xsd, the AuthnRequest of both bindings (decoded as an IdP would)
// against saml-schema-protocol-2.0.xsd. The schemas are Debian's python3-onelogin-saml2 copies, read
// where they are installed (never copied in here); without them, one line says this did not run
// (test/oracles.js).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inflateSync } from 'fflate';
import { createAuthnRequest, createSpMetadata } from '../dist/index.js';
import { gate, notRunLine, schemaOracle } from './oracles.js';
import { generateTestCredentials } from '../dist/node/test-idp.js';

const encryptionCertificatePem = (await generateTestCredentials({ commonName: 'sp encryption' })).certificatePem;

test('oracle gate: found runs, missing prints one line, missing with SAML_ORACLES_REQUIRED=1 fails', () => {
  const lines = [];
  const log = (line) => lines.push(line);
  assert.equal(gate('suite', null, { dir: '/x' }, {}, log), { dir: '/x' });
  assert.is(gate('suite', 'xmllint', { dir: '/x' }, {}, log), null);
  assert.equal(lines, [notRunLine('suite', 'xmllint')]);
  assert.match(lines[0], /^suite: not run \(xmllint not found: apt-get install libxml2-utils python3-onelogin-saml2 python3-pysaml2; SAML_ORACLES_REQUIRED=1 makes this a failure\)$/);
  assert.throws(() => gate('suite', 'xmllint', {}, { SAML_ORACLES_REQUIRED: '1' }, log), /suite: SAML_ORACLES_REQUIRED=1, but xmllint not found/);
  assert.is(lines.length, 1);
});

const oracle = schemaOracle();

const config = (sp = {}, policy) => ({
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs', ...sp },
  idp: { entityId: 'http://www.okta.com/exk1', ssoUrl: 'https://example.okta.com/app/x/sso/saml?tenant=a&b=1', certificates: 'x' },
  ...(policy ? { policy } : {}),
});

const FULL = {
  validUntil: new Date('2031-12-31T23:59:59.999Z'),
  organization: { name: 'Example & Co <"x">', displayName: ']]> Example', url: 'https://www.example.com/?a=1&b=2', lang: 'de-CH' },
  contacts: [
    { type: 'technical', company: 'Example', givenName: 'Ann', surName: 'Lee', emailAddresses: ['ann@example.com', 'mailto:b@example.com'], telephoneNumbers: ['+1 555 0100'] },
    { type: 'support', emailAddresses: ['help@example.com'] },
    { type: 'administrative' },
    { type: 'billing', company: 'Example' },
    { type: 'other', givenName: 'Bob' },
  ],
};

/** Validates each { name: xml } against `schema`; resolves to { name: 'valid' | error text }. */
function validate(schema, documents) {
  const dir = mkdtempSync(join(tmpdir(), 'saml-core-schemas-'));
  try {
    const names = Object.keys(documents);
    const paths = names.map((name, i) => join(dir, `${i}.xml`));
    names.forEach((name, i) => writeFileSync(paths[i], documents[name]));
    // --nonet: an import that pointed at a URL would fail here instead of being fetched.
    const run = spawnSync(oracle.xmllint, ['--noout', '--nonet', '--schema', join(oracle.dir, schema), ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.not.match(run.stderr, /failed to load external entity|WXS schema .* failed to compile|I\/O error/, run.stderr);
    const verdict = {};
    names.forEach((name, i) => {
      const mine = run.stderr.split('\n').filter((line) => line.startsWith(`${paths[i]}:`) || line.startsWith(`${paths[i]} `));
      verdict[name] = mine.includes(`${paths[i]} validates`) ? 'valid' : mine.join('\n') || run.stderr;
    });
    return verdict;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const allValid = (verdict) => assert.equal(Object.entries(verdict).filter(([, v]) => v !== 'valid'), []);

if (oracle !== null) {
  test('the schemas import one another by relative file name, all present: nothing is fetched', () => {
    const files = readdirSync(oracle.dir).filter((name) => name.endsWith('.xsd'));
    const locations = files.flatMap((file) => [...readFileSync(join(oracle.dir, file), 'utf8').matchAll(/<(?:xs:|xsd:)?(?:import|include)\b[^>]*schemaLocation\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]));
    assert.ok(locations.length >= 8, `${locations.length} imports`);
    assert.equal(locations.filter((location) => /^[a-z][a-z0-9+.-]*:/i.test(location) || !files.includes(location)), []);
  });

  test('the oracle can fail: schema-invalid variants of our metadata and AuthnRequest are refused', async () => {
    const good = createSpMetadata(config(), FULL);
    const request = (await createAuthnRequest(config(), { binding: 'post' })).xml;
    const md = validate('saml-schema-metadata-2.0.xsd', {
      'WantAssertionsSigned="yes"': good.replace('WantAssertionsSigned="true"', 'WantAssertionsSigned="yes"'),
      'no protocolSupportEnumeration': good.replace(/ protocolSupportEnumeration="[^"]*"/, ''),
      'no ACS': good.replace(/<md:AssertionConsumerService [^>]*\/>/, ''),
      'Organization without OrganizationURL': good.replace(/<md:OrganizationURL .*?<\/md:OrganizationURL>/, ''),
      'unknown contactType': good.replace('contactType="billing"', 'contactType="security"'),
      'NameIDFormat after the ACS': good.replace(/(<md:NameIDFormat>.*?<\/md:NameIDFormat>)(\s*)(<md:AssertionConsumerService [^>]*\/>)/, '$3$2$1'),
    });
    const protocol = validate('saml-schema-protocol-2.0.xsd', {
      'no Version': request.replace(' Version="2.0"', ''),
      'no IssueInstant': request.replace(/ IssueInstant="[^"]*"/, ''),
      'an ID that is no NCName': request.replace(/ ID="_/, ' ID="1'),
    });
    assert.equal(Object.entries({ ...md, ...protocol }).filter(([, v]) => v === 'valid').map(([name]) => name), []);
  });

  test('SP metadata validates against saml-schema-metadata-2.0.xsd: defaults, every option, each NameID format, hostile values', () => {
    const hostile = config({ entityId: 'https://app.example.com/?a=<b>&c="d"\'e\'>"/>', acsUrl: 'https://app.example.com/acs?x="<y>"&z=é' });
    allValid(validate('saml-schema-metadata-2.0.xsd', {
      default: createSpMetadata(config()),
      'every option': createSpMetadata(config(), FULL),
      'validUntil only': createSpMetadata(config(), { validUntil: new Date('2030-01-01T00:00:00Z') }),
      'organization only': createSpMetadata(config(), { organization: { name: 'Example', url: 'http://example.com' } }),
      'contacts only': createSpMetadata(config(), { contacts: FULL.contacts }),
      'year 1': createSpMetadata(config(), { validUntil: new Date('0001-01-01T00:00:00Z') }),
      'year 9999': createSpMetadata(config(), { validUntil: new Date('9999-12-31T23:59:59.999Z') }),
      'nameIdFormat any': createSpMetadata(config({}, { nameIdFormat: 'any' })),
      'nameIdFormat persistent': createSpMetadata(config({}, { nameIdFormat: 'persistent' })),
      'nameIdFormat transient': createSpMetadata(config({}, { nameIdFormat: 'transient' })),
      'nameIdFormat unspecified': createSpMetadata(config({}, { nameIdFormat: 'unspecified' })),
      'nameIdFormat custom URI': createSpMetadata(config({}, { nameIdFormat: 'urn:example:nameid:format' })),
      'urn entity ID': createSpMetadata(config({ entityId: 'urn:example:sp' })),
      'Entra api:// entity ID': createSpMetadata(config({ entityId: 'api://4f0c1d2e-0000-4000-8000-000000000000' })),
      'relative entity ID': createSpMetadata(config({ entityId: 'my-app' })),
      '1024-character entity ID': createSpMetadata(config({ entityId: `https://app.example.com/${'a'.repeat(1000)}` })),
      'IPv6 ACS': createSpMetadata(config({ acsUrl: 'https://[::1]:8443/saml/acs' })),
      'encryption certificate': createSpMetadata(config({ encryptionCertificate: encryptionCertificatePem }), FULL),
      'hostile values': createSpMetadata(hostile, FULL),
    }));
  });

  test('the AuthnRequest of both bindings, decoded as the IdP decodes it, validates against saml-schema-protocol-2.0.xsd', async () => {
    const documents = {};
    const variants = {
      default: [config(), {}],
      forceAuthn: [config(), { forceAuthn: true, relayState: '/dashboard?a=1&b=<2>' }],
      'nameIdFormat any': [config({}, { nameIdFormat: 'any' }), {}],
      'nameIdFormat persistent': [config({}, { nameIdFormat: 'persistent' }), { now: new Date('2030-06-01T00:00:00Z') }],
      'hostile entity ID and ACS URL': [config({ entityId: 'https://app.example.com/?a=<b>&c="d"\'e\']]>', acsUrl: 'https://app.example.com/acs?x="<y>"' }), {}],
    };
    for (const [name, [cfg, options]] of Object.entries(variants)) {
      const redirect = await createAuthnRequest(cfg, options);
      // Bindings 3.4.4.1: SAMLRequest = base64(DEFLATE(xml)), URL-encoded in the query.
      const deflated = Uint8Array.from(atob(new URL(redirect.redirectUrl).searchParams.get('SAMLRequest')), (c) => c.charCodeAt(0));
      documents[`redirect ${name}`] = new TextDecoder().decode(inflateSync(deflated));
      const post = await createAuthnRequest(cfg, { ...options, binding: 'post' });
      // Bindings 3.5.4: SAMLRequest = base64(xml) in the form.
      documents[`post ${name}`] = new TextDecoder().decode(Uint8Array.from(atob(post.form.fields.SAMLRequest), (c) => c.charCodeAt(0)));
      assert.is(documents[`post ${name}`], post.xml);
    }
    allValid(validate('saml-schema-protocol-2.0.xsd', documents));
  });

  test('an entity ID the builder accepts is one xs:anyURI accepts (libxml2), over printable ASCII in every URI part', () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const prefixes = ['urn:x:', 'https://h/p?', 'https://h/p#', 'https://', 'https://h:', 'https://u@h/', 'https://[', '', 'a/', '//'];
    const candidates = new Set(['https://[::1]/x', 'https://[v1.x]/', 'https://h:99/x', 'https://h:x/', '%41', '%4', 'a:b:c', ':x', '1:x', '#', 'a#', 'https://h/%2F', 'urn:a:b#c#d']);
    for (const p of prefixes) for (const c of printable) candidates.add(p + c).add(`${p}${c}x`);
    const accepted = {};
    let refused = 0;
    for (const entityId of candidates) {
      if (entityId.trim() === '' || entityId !== entityId.trim()) continue; // resolveConfig's own rules
      try {
        accepted[entityId] = createSpMetadata(config({ entityId }));
      } catch (error) {
        assert.match(error.message, /sp\.entityId must be a URI/, error.message);
        refused++;
      }
    }
    assert.ok(Object.keys(accepted).length > 500 && refused > 50, `${Object.keys(accepted).length} accepted, ${refused} refused`);
    allValid(validate('saml-schema-metadata-2.0.xsd', accepted));
  });
}

test.run();
