// The replay npm run test:runtimes runs in every runtime: each vector of vectors/ through the
// shared vector runner, and createAuthnRequest for both bindings, against the published package
// (`saml-core`, resolved the way that runtime resolves it). Runtime-neutral: no Node built-ins,
// no file access; the vectors come in as data. Returns plain JSON-able data, which the Node
// runner (run.js) checks and compares across runtimes.
import * as saml from 'saml-core';
import { makeVectorRunner } from './vector-replay.js';

const { runVector } = makeVectorRunner(saml);

/** The AuthnRequest config: the SP of the vectors, the Okta IdP's SSO URL with a query of its own. */
function authnConfig(vectors) {
  const okta = vectors.find((vector) => vector.idp === 'okta' && vector.expect.valid);
  return {
    sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs' },
    idp: { entityId: 'http://www.okta.com/exk1fxg2ykKOIqGfd5d7', ssoUrl: 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml?x=1', certificates: okta?.idp_config.certificates },
  };
}

/** What a vector did: the verdict, the error code and message, or the returned values. */
function outcomeOf(result) {
  const { outcome } = result;
  if (typeof outcome === 'string') return { verdict: 'rejected', code: outcome, message: result.message ?? null };
  if (outcome && typeof outcome === 'object') return { verdict: 'valid', values: JSON.parse(JSON.stringify(outcome)) };
  return { verdict: 'none' };
}

export async function replay(vectors) {
  const byName = new Map(vectors.map((vector) => [vector.name, vector]));
  const vectorResults = [];
  for (const vector of vectors) {
    let result;
    try {
      result = await runVector(vector, byName);
    } catch (error) {
      result = { ok: false, outcome: null, problem: `the runner threw: ${error}` };
    }
    vectorResults.push({ name: vector.name, ok: result.ok, problem: result.problem ?? null, outcome: outcomeOf(result) });
  }
  const authnRequests = {};
  for (const binding of ['redirect', 'post']) {
    try {
      authnRequests[binding] = await saml.createAuthnRequest(authnConfig(vectors), { binding, relayState: '/dashboard', forceAuthn: true, now: new Date('2026-11-22T10:00:00Z') });
    } catch (error) {
      authnRequests[binding] = { error: `${error?.code ?? ''} ${error}` };
    }
  }
  return { vectors: vectorResults, authnRequests };
}
