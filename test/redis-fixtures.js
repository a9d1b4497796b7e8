// What the Redis tests and the benchmark share: signed test-IdP responses
// (each a distinct assertion), the SP config, and the key the store writes. Responses are made by the test IdP (dist/node/test-idp.js) with real RSA signatures.
import { createHash } from 'node:crypto';
import { TEST_IDPS, TEST_SP, buildResponse, signResponse, toPostBody } from '../dist/node/test-idp.js';

export const ISSUER = TEST_IDPS.okta.entityId;

/** `count` IdP-initiated Okta-shaped responses issued at `now`, each with its own assertion ID (prefix + index). */
// Only the Assertion is signed (policy.requireSignedResponse: false): half the RSA work of a
// doubly signed response, and the store sees exactly the same calls.
export function signedBodies(credentials, now, count, prefix) {
  return Array.from({ length: count }, (_, i) => {
    const xml = buildResponse({ shape: 'okta', now, responseId: `${prefix}r${i}`, assertionId: `${prefix}a${i}` });
    return toPostBody(signResponse(xml, { privateKeyPem: credentials.privateKeyPem, certificatePem: credentials.certificatePem, signResponse: false }));
  });
}

/** The SP config of these responses, without its replay store (worker processes add their own). */
export function samlConfig(certificatePem, policy = {}) {
  return { sp: { ...TEST_SP }, idp: { entityId: ISSUER, certificates: [certificatePem] }, policy: { requireSignedResponse: false, ...policy } };
}

/** The Redis key saml-core/redis writes for an assertion (docs/redis.md), computed independently. */
export function redisKey(assertionId, prefix = 'saml-core:replay:', issuer = ISSUER) {
  return prefix + createHash('sha256').update(`${issuer}\n${assertionId}`, 'utf8').digest('hex');
}

