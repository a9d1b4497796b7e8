/**
 * Vector files in the shared format (../shared/VECTORS.md): one captured or generated Response with
 * the SP and IdP configuration, policy, instant and pending request it is judged with, and what is
 * expected of it. The mapping from the file to a SamlConfig is the one of the project's own replay
 * runner (test/vector-replay.js: configOf, bodyOf), so `saml-core conformance` and `npm test` judge
 * every vector alike; test/cli.test.js checks that they agree.
 */
import type { ReplayStore, ResponseBody, SamlConfig } from '../../index.js';
import { UsageError, kindOf } from './usage.js';

export interface VectorExpect {
  valid: boolean;
  reject_ok?: boolean;
  class?: string;
  code?: string;
  name_id?: string;
  relay_state?: string;
  session_index?: string;
  attributes?: Record<string, string[]>;
}

export interface Vector {
  name: string;
  category?: string;
  description?: string;
  idp?: string;
  sp: { entityId: string; acsUrl: string; decryptionPrivateKey?: string | null };
  idp_config: { entityId?: string | null; ssoUrl?: string | null; certificates: string | string[] };
  policy?: Record<string, unknown>;
  allow_idp_initiated?: boolean;
  request_id?: string | null;
  now: string;
  body?: string;
  saml_response?: string;
  relay_state?: string | null;
  expect: VectorExpect;
  replay_of?: string | null;
}

/** Whether a parsed JSON document is a vector file (as opposed to a HAR file, a SAML-tracer export...). */
export function looksLikeVector(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return 'expect' in v && 'idp_config' in v && ('body' in v || 'saml_response' in v);
}

/** Checks the keys a runner reads; `where` names the file in the message. */
export function readVector(value: unknown, where: string): Vector {
  if (!looksLikeVector(value)) {
    throw new UsageError(`${where}: expected a vector file (../shared/VECTORS.md: expect, idp_config, and body or saml_response); got ${kindOf(value)}`);
  }
  const v = value as Record<string, unknown>;
  const need = (ok: boolean, field: string, expected: string, got: unknown) => {
    if (!ok) throw new UsageError(`${where}: ${field} must be ${expected}; got ${kindOf(got)}`);
  };
  need(typeof v.name === 'string' && v.name !== '', 'name', 'a non-empty string', v.name);
  const sp = v.sp as Record<string, unknown> | undefined;
  // The values themselves are the core's to judge (a real vector's SP may lack one: CONFIG_INVALID).
  need(typeof sp === 'object' && sp !== null && !Array.isArray(sp), 'sp', 'an object { entityId, acsUrl }', sp);
  const idp = v.idp_config as Record<string, unknown>;
  need(typeof idp === 'object' && idp !== null && (typeof idp.certificates === 'string' || Array.isArray(idp.certificates)), 'idp_config', 'an object with certificates (a PEM string or an array)', idp);
  need(typeof v.now === 'string' && !Number.isNaN(Date.parse(v.now)), 'now', 'an ISO 8601 instant', v.now);
  if ('body' in v) need(typeof v.body === 'string', 'body', 'the urlencoded POST body (a string)', v.body);
  else need(typeof v.saml_response === 'string', 'saml_response', 'the base64 SAMLResponse (a string)', v.saml_response);
  const expect = v.expect as Record<string, unknown>;
  need(typeof expect === 'object' && expect !== null && typeof expect.valid === 'boolean', 'expect', 'an object with valid (a boolean)', expect);
  need(v.request_id === undefined || v.request_id === null || typeof v.request_id === 'string', 'request_id', 'a string or null', v.request_id);
  need(v.replay_of === undefined || v.replay_of === null || typeof v.replay_of === 'string', 'replay_of', 'a vector name or null', v.replay_of);
  need(v.policy === undefined || (typeof v.policy === 'object' && v.policy !== null && !Array.isArray(v.policy)), 'policy', 'an object', v.policy);
  return value as unknown as Vector;
}

/** The SamlConfig a vector describes (test/vector-replay.js configOf), with the given replay store. */
export function configOfVector(vector: Vector, replayStore: ReplayStore): SamlConfig {
  const p = (vector.policy ?? {}) as Record<string, unknown>;
  const policy: Record<string, unknown> = {};
  if (p.require_signed_response !== undefined) policy.requireSignedResponse = p.require_signed_response;
  if (p.require_signed_assertion !== undefined) policy.requireSignedAssertion = p.require_signed_assertion;
  if (p.name_id_format !== undefined) policy.nameIdFormat = p.name_id_format;
  if (p.allow_sha1 !== undefined) policy.allowSha1 = p.allow_sha1;
  if (p.min_rsa_key_bits !== undefined) policy.minRsaKeyBits = p.min_rsa_key_bits;
  if (p.allow_rsa15_key_transport !== undefined) policy.allowRsa15KeyTransport = p.allow_rsa15_key_transport;
  if (p.allow_triple_des !== undefined) policy.allowTripleDes = p.allow_triple_des;
  if (vector.allow_idp_initiated !== undefined) policy.allowIdpInitiated = vector.allow_idp_initiated;
  const idp: SamlConfig['idp'] = { certificates: vector.idp_config.certificates };
  if (vector.idp_config.entityId) idp.entityId = vector.idp_config.entityId;
  if (vector.idp_config.ssoUrl) idp.ssoUrl = vector.idp_config.ssoUrl;
  const sp: SamlConfig['sp'] = { entityId: vector.sp.entityId, acsUrl: vector.sp.acsUrl };
  // VECTORS.md: the SP's decryption key, passed as sp.decryptionKeys.
  if (vector.sp.decryptionPrivateKey) sp.decryptionKeys = vector.sp.decryptionPrivateKey;
  return { sp, idp, policy: policy as SamlConfig['policy'], replayStore };
}

/** The POST body of a vector: `body` as sent, or `saml_response` and `relay_state` (test/vector-replay.js bodyOf). */
export function bodyOfVector(vector: Vector): ResponseBody {
  if (typeof vector.body === 'string') return vector.body;
  return { SAMLResponse: vector.saml_response, RelayState: vector.relay_state ?? undefined };
}

/**
 * The vector format's class of each error code (VECTORS.md `expect.class`): the table of the
 * project's replay runner (test/vector-replay.js CLASS_OF_CODE); test/cli.test.js asserts they are equal.
 */
export const CLASS_OF_CODE: Readonly<Record<string, string>> = {
  INVALID_INPUT: 'malformed',
  INVALID_XML: 'malformed',
  SIGNATURE_MISSING: 'signature',
  SIGNATURE_INVALID: 'signature',
  ALGORITHM_NOT_ALLOWED: 'algorithm',
  STATUS_NOT_SUCCESS: 'status',
  ISSUER_MISMATCH: 'issuer',
  DESTINATION_MISMATCH: 'destination',
  RECIPIENT_MISMATCH: 'recipient',
  IN_RESPONSE_TO_MISMATCH: 'in-response-to',
  UNSOLICITED_RESPONSE: 'in-response-to',
  AUDIENCE_MISMATCH: 'audience',
  NAMEID_FORMAT_MISMATCH: 'nameid',
  NAMEID_INVALID: 'nameid',
  EXPIRED: 'time',
  NOT_YET_VALID: 'time',
  REPLAYED: 'replay',
  INVALID_ASSERTION: 'structure',
  ENCRYPTED_ASSERTION_UNSUPPORTED: 'structure',
  DECRYPTION_FAILED: 'malformed',
  CONFIG_INVALID: 'config',
};
