// Independent encryptors: SAML stacks nobody here wrote, Lasso (Debian's python3-lasso) and pysaml2
// (python3-pysaml2, which encrypts through xmlsec1), act as the IdP during the test run
// (test/independent-idp.py) and issue signed Responses with an encrypted, signed Assertion; each
// must be accepted with the right NameID and attributes. Without those packages the suite prints one
// line and runs none of this; SAML_REQUIRE_INDEPENDENT_ENCRYPTORS=1 (set by .ci/run) makes their
// absence a failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMemoryReplayStore, validateResponse } from '../dist/index.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./independent-idp.py', import.meta.url));
const key = (name) => readFileSync(new URL(`../vectors/keys/${name}`, import.meta.url), 'utf8');

/** Why the independent IdPs cannot run here, or null when they can. */
function missing() {
  const probe = spawnSync(PYTHON, ['-c', 'import lasso, saml2, shutil, sys; sys.exit(0 if shutil.which("xmlsec1") else 3)'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} not found`;
  if (probe.status === 3) return 'xmlsec1 not found (apt-get install -y xmlsec1)';
  if (probe.status !== 0) return `python3-lasso or python3-pysaml2 missing (apt-get install -y python3-lasso python3-pysaml2): ${(probe.stderr.trim().split('\n').pop() ?? '').slice(0, 120)}`;
  return null;
}

// The mutation run (test/mutations/run.js) replays the suite once per mutant; these 8 Python IdP runs
// would add about 12 s to each, and every decryption mutant is killed by test/encryption.test.js.
const mutationRun = process.env.SAML_MUTATION_RUN === '1';
const why = mutationRun ? null : missing();
const required = process.env.SAML_REQUIRE_INDEPENDENT_ENCRYPTORS === '1';

const IDP = 'https://idp.independent.example.org/idp';
const params = {
  idp_entity_id: IDP,
  idp_key: key('okta.key.pem'),
  idp_cert: key('okta.crt.pem'),
  sp_entity_id: 'https://app.example.com/saml/metadata',
  acs_url: 'https://app.example.com/saml/acs',
  sp_cert: key('sp-encryption.crt.pem'),
  name_id: 'jane.doe@example.com',
  attributes: { givenName: ['Jane'], mail: ['jane.doe@example.com'], groups: ['staff', 'saml-core'] },
  request_id: '_0d5c2a4e9b7f4c1d8e3a6b5f2c1d0e9f',
};

function issue(stack, content) {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [SCRIPT, stack, content, 'rsa-oaep'], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${stack} ${content}: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
    child.stdin.end(JSON.stringify(params));
  });
}

// pysaml2 names the attributes it knows by their OID URIs (its attribute maps, NameFormat uri);
// Lasso sends the names as given (NameFormat basic).
const EXPECTED_ATTRIBUTES = {
  pysaml2: { 'urn:oid:2.5.4.42': ['Jane'], 'urn:oid:0.9.2342.19200300.100.1.3': ['jane.doe@example.com'], groups: ['staff', 'saml-core'] },
  lasso: params.attributes,
};

// Lasso has no AES-GCM; pysaml2 does all five (xmlsec1 underneath).
const CASES = [
  ['pysaml2', 'aes128-cbc'],
  ['pysaml2', 'aes256-cbc'],
  ['pysaml2', 'aes128-gcm'],
  ['pysaml2', 'aes256-gcm'],
  ['pysaml2', 'tripledes-cbc'],
  ['lasso', 'aes128-cbc'],
  ['lasso', 'aes256-cbc'],
  ['lasso', 'tripledes-cbc'],
];

if (mutationRun) {
  console.log('independent encryptors (Lasso, pysaml2): not run in the mutation run (SAML_MUTATION_RUN)');
} else if (why !== null && !required) {
  console.log(`independent encryptors (Lasso, pysaml2): not run (${why}); SAML_REQUIRE_INDEPENDENT_ENCRYPTORS=1 makes this a failure`);
} else if (why !== null) {
  test('independent encryptors are installed (SAML_REQUIRE_INDEPENDENT_ENCRYPTORS=1)', () => {
    assert.unreachable(why);
  });
} else {
  // Issued in parallel up front (each is a Python start); judged at the instant they were issued.
  const issued = new Map(await Promise.all(CASES.map(async ([stack, content]) => [`${stack} ${content}`, await issue(stack, content)])));
  for (const [stack, content] of CASES) {
    test(`independent encryptor: ${stack} ${content} + RSA-OAEP is decrypted and accepted with its NameID and attributes`, async () => {
      const config = {
        sp: { entityId: params.sp_entity_id, acsUrl: params.acs_url, decryptionKeys: key('sp-encryption.key.pem') },
        idp: { entityId: IDP, certificates: [params.idp_cert] },
        policy: { allowTripleDes: content === 'tripledes-cbc' },
        replayStore: createMemoryReplayStore(),
      };
      const samlResponse = issued.get(`${stack} ${content}`);
      const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
      assert.ok(xml.includes('EncryptedAssertion') && !/<(\w+:)?Assertion[\s>]/.test(xml), 'the Assertion is encrypted');
      assert.ok(xml.includes(content.includes('gcm') ? `xmlenc11#${content}` : `xmlenc#${content}`), `encrypted with ${content}`);
      const requestId = stack === 'pysaml2' ? params.request_id : null;
      const result = await validateResponse(config, { SAMLResponse: samlResponse }, { requestId });
      assert.is(result.nameId, params.name_id);
      assert.is(result.issuer, IDP);
      for (const [name, values] of Object.entries(EXPECTED_ATTRIBUTES[stack])) assert.equal(result.attributes[name], values, name);
      // The same response without the key is refused as encrypted, and 3DES without the policy.
      const without = { ...config, sp: { entityId: params.sp_entity_id, acsUrl: params.acs_url }, replayStore: createMemoryReplayStore() };
      await validateResponse(without, { SAMLResponse: samlResponse }, { requestId }).then(
        () => assert.unreachable('accepted without sp.decryptionKeys'),
        (error) => assert.is(error.code, 'ENCRYPTED_ASSERTION_UNSUPPORTED'),
      );
    });
  }
}

test.run();
