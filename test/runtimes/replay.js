// The replay npm run test:runtimes runs in every runtime: each vector of vectors/ through the
// shared vector runner, inspectResponse beside validateResponse on each, createAuthnRequest for both
// bindings, and the metadata functions (parseIdpMetadata, idpConfigFromMetadata, normalizeCertificate,
// createSpMetadata), against the published package
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
  return { vectors: vectorResults, authnRequests, metadata: await metadataReplay(vectors), inspect: await inspectReplay(vectors, byName) };
}

/**
 * inspectResponse on every vector, with validateResponse beside it in this runtime: the first
 * failure must be the thrown error (code and message), an accepted vector the same assertion.
 * Returns the disagreements and, per vector, the trace's statuses (compared with node 20's).
 */
async function inspectReplay(vectors, byName) {
  const { configOf, bodyOf } = makeVectorRunner(saml);
  const disagreements = [];
  const traces = {};
  for (const vector of vectors) {
    const once = async (call) => {
      const store = saml.createMemoryReplayStore();
      const first = vector.replay_of ? byName.get(vector.replay_of) : null;
      if (first) await saml.validateResponse(configOf(first, store), bodyOf(first), { now: new Date(first.now), requestId: first.request_id ?? null }).catch(() => {});
      return call(configOf(vector, store), bodyOf(vector), { now: new Date(vector.now), requestId: vector.request_id ?? null });
    };
    try {
      const thrown = await once(saml.validateResponse).then((assertion) => ({ assertion }), (error) => ({ error }));
      const inspected = await once(saml.inspectResponse);
      const fail = inspected.checks.find((c) => c.status === 'fail');
      const same = thrown.error
        ? !inspected.ok && fail?.code === thrown.error.code && fail?.message === thrown.error.message && inspected.error?.message === thrown.error.message
        : inspected.ok && JSON.stringify(inspected.assertion) === JSON.stringify(thrown.assertion);
      if (!same) disagreements.push(`${vector.name}: validateResponse ${thrown.error ? thrown.error.code : 'accepted'}, inspectResponse ${inspected.ok ? 'accepted' : `${fail?.id} ${fail?.code}`}`);
      traces[vector.name] = inspected.checks.map((c) => `${c.id}:${c.status}${c.verified ? '' : '?'}`).join(' ');
    } catch (error) {
      disagreements.push(`${vector.name}: threw ${error}`);
    }
  }
  return { disagreements, traces };
}

/**
 * The metadata functions on an Okta-shaped IdP metadata document built here from the Okta vectors'
 * certificate (CRLF and a BOM, as downloads have them), and the SP metadata of the same config.
 */
async function metadataReplay(vectors) {
  try {
    const config = authnConfig(vectors);
    const pem = [config.idp.certificates].flat()[0];
    const body = pem.replace(/-----[^-]+-----|\s/g, '');
    const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
    const xml = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- IdP metadata -->\r\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${config.idp.entityId}" validUntil="2030-01-01T00:00:00Z">\r\n`
      + '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
      + `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>\r\n${body.match(/.{1,64}/g).join('\r\n')}\r\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
      + '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>'
      + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${config.idp.ssoUrl}"/>`
      + '</md:IDPSSODescriptor></md:EntityDescriptor>';
    const metadata = await saml.parseIdpMetadata(xml, { now: new Date('2026-11-22T10:00:00Z') });
    let expired = null;
    try {
      await saml.parseIdpMetadata(xml, { now: new Date('2031-01-01T00:00:00Z') });
    } catch (error) {
      expired = error?.code ?? String(error);
    }
    return {
      metadata: JSON.parse(JSON.stringify(metadata)),
      idpConfig: saml.idpConfigFromMetadata(metadata),
      fromDer: saml.normalizeCertificate(der),
      sameAsPem: saml.normalizeCertificate(der) === saml.normalizeCertificate(pem),
      expired,
      spMetadata: saml.createSpMetadata({ ...config, idp: saml.idpConfigFromMetadata(metadata) }, { validUntil: new Date('2030-01-01T00:00:00Z') }),
    };
  } catch (error) {
    return { error: `${error?.code ?? ''} ${error}` };
  }
}
