// The Debian tools the oracle suites run against (Node only): xmllint with the OASIS SAML 2.0
// schemas that python3-onelogin-saml2 ships (test/schemas.test.js), and /usr/bin/python3 with
// pysaml2 and python3-saml (test/sp-metadata-roundtrip.test.js). A bare clone on a machine without
// them still passes `npm test`: each suite then prints one line saying it did not run and why, as the
// real vectors do (test/vector-files.js). CI (.ci/run) installs them and sets
// SAML_ORACLES_REQUIRED=1, which makes a missing tool a failure instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
const PACKAGES = 'apt-get install libxml2-utils python3-onelogin-saml2 python3-pysaml2';
export const notRunLine = (suite, missing) => `${suite}: not run (${missing} not found: ${PACKAGES}; SAML_ORACLES_REQUIRED=1 makes this a failure)`;

/**
 * `found` when nothing is missing; else null after printing the suite's one line, or an Error when
 * SAML_ORACLES_REQUIRED=1 (`env` and `log` are parameters for the test of this rule).
 */
export function gate(suite, missing, found, env = process.env, log = console.log) {
  if (missing === null) return found;
  if (env.SAML_ORACLES_REQUIRED === '1') throw new Error(`${suite}: SAML_ORACLES_REQUIRED=1, but ${missing} not found (${PACKAGES})`);
  log(notRunLine(suite, missing));
  return null;
}

const ok = (command, args) => {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
};

/** { xmllint, dir }: the schemas' folder, where saml-schema-metadata-2.0.xsd and its imports are. */
export function schemaOracle(env = process.env, log = console.log) {
  const xmllint = ok('xmllint', ['--version']) === null ? null : 'xmllint';
  const module = existsSync(PYTHON) ? ok(PYTHON, ['-c', 'import os, onelogin.saml2 as m; print(os.path.dirname(m.__file__))']) : null;
  const dir = module === null ? null : join(module, 'schemas');
  const missing = xmllint === null ? 'xmllint (libxml2-utils)' : dir === null || !existsSync(join(dir, 'saml-schema-metadata-2.0.xsd')) ? 'the OASIS SAML schemas of python3-onelogin-saml2' : null;
  return gate('SAML schema oracle', missing, { xmllint, dir }, env, log);
}

/** { python, script }: the helper that reads an SP metadata with pysaml2 and python3-saml. */
export function roundTripOracle(env = process.env, log = console.log) {
  const script = new URL('helpers/read-sp-metadata.py', import.meta.url).pathname;
  const missing = !existsSync(PYTHON)
    ? PYTHON
    : ok(PYTHON, ['-c', 'import saml2.mdstore']) === null
      ? 'pysaml2 (python3-pysaml2)'
      : ok(PYTHON, ['-c', 'import onelogin.saml2.settings']) === null
        ? 'python3-saml (python3-onelogin-saml2)'
        : null;
  return gate('SP metadata round trip', missing, { python: PYTHON, script }, env, log);
}
