// Replays a vector in the shared format (../shared/VECTORS.md) against a saml-core build given as a
// module namespace: the Node build for the vector suite (vector-runner.js), the published package
// in every runtime for npm run test:runtimes. No imports and no Node built-ins, so any runtime can
// load it.

export const CLASS_OF_CODE = {
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

/** { configOf, bodyOf, expectationOf, runVector } for `saml`, a saml-core module namespace. */
export function makeVectorRunner(saml) {
  const { createMemoryReplayStore, validateResponse, SamlError } = saml;

  /** The SamlConfig a vector describes, with its own replay store. */
  function configOf(vector, replayStore = createMemoryReplayStore()) {
    const p = vector.policy ?? {};
    const policy = {};
    if (p.require_signed_response !== undefined) policy.requireSignedResponse = p.require_signed_response;
    if (p.require_signed_assertion !== undefined) policy.requireSignedAssertion = p.require_signed_assertion;
    if (p.name_id_format !== undefined) policy.nameIdFormat = p.name_id_format;
    if (p.allow_sha1 !== undefined) policy.allowSha1 = p.allow_sha1;
    if (p.min_rsa_key_bits !== undefined) policy.minRsaKeyBits = p.min_rsa_key_bits;
    if (p.allow_rsa15_key_transport !== undefined) policy.allowRsa15KeyTransport = p.allow_rsa15_key_transport;
    if (p.allow_triple_des !== undefined) policy.allowTripleDes = p.allow_triple_des;
    if (vector.allow_idp_initiated !== undefined) policy.allowIdpInitiated = vector.allow_idp_initiated;
    const idp = { certificates: vector.idp_config.certificates };
    if (vector.idp_config.entityId) idp.entityId = vector.idp_config.entityId;
    if (vector.idp_config.ssoUrl) idp.ssoUrl = vector.idp_config.ssoUrl;
    const sp = { entityId: vector.sp.entityId, acsUrl: vector.sp.acsUrl };
    // VECTORS.md: the SP's decryption key, passed as sp.decryptionKeys.
    if (vector.sp.decryptionPrivateKey) sp.decryptionKeys = vector.sp.decryptionPrivateKey;
    return { sp, idp, policy, replayStore };
  }

  function bodyOf(vector) {
    if (typeof vector.body === 'string') return vector.body;
    return { SAMLResponse: vector.saml_response, RelayState: vector.relay_state ?? undefined };
  }

  /** What the vector expects of this library: valid, or rejected with a code (exact or by class). */
  function expectationOf(vector) {
    return vector.expect;
  }

  /**
   * Validates `vector` (after its `replay_of` predecessor, from `byName`, with the same store) and
   * returns { ok, outcome, problem }: outcome is the result or the error code, problem says why not ok.
   */
  async function runVector(vector, byName = new Map()) {
    const replayStore = createMemoryReplayStore();
    const options = { now: new Date(vector.now), requestId: vector.request_id ?? null };
    if (vector.replay_of) {
      const first = byName.get(vector.replay_of);
      if (!first) return { ok: false, outcome: null, problem: `replay_of names unknown vector ${vector.replay_of}` };
      await validateResponse(configOf(first, replayStore), bodyOf(first), { now: new Date(first.now), requestId: first.request_id ?? null });
    }
    const expect = expectationOf(vector);
    let result;
    try {
      result = await validateResponse(configOf(vector, replayStore), bodyOf(vector), options);
    } catch (error) {
      if (!(error instanceof SamlError)) return { ok: false, outcome: String(error), problem: `threw a non-SamlError: ${error}` };
      // reject_ok (VECTORS.md): a valid vector that a strict library may also reject with a typed error.
      if (expect.valid && expect.reject_ok) return { ok: true, outcome: error.code, rejectedOk: true, message: error.message };
      if (expect.valid) return { ok: false, outcome: error.code, problem: `expected valid, got ${error.code}: ${error.message}` };
      if (expect.code && expect.code !== error.code) return { ok: false, outcome: error.code, problem: `expected ${expect.code}, got ${error.code}: ${error.message}` };
      return { ok: true, outcome: error.code, classMatches: !expect.class || CLASS_OF_CODE[error.code] === expect.class, message: error.message };
    }
    if (!expect.valid) return { ok: false, outcome: result, problem: `expected rejection (${expect.code ?? expect.class}), but it was accepted` };
    const problems = [];
    if (expect.name_id !== undefined && result.nameId !== expect.name_id) problems.push(`nameId ${JSON.stringify(result.nameId)} != ${JSON.stringify(expect.name_id)}`);
    if (expect.relay_state !== undefined && result.relayState !== expect.relay_state) problems.push(`relayState ${JSON.stringify(result.relayState)} != ${JSON.stringify(expect.relay_state)}`);
    if (expect.session_index !== undefined && result.sessionIndex !== expect.session_index) problems.push(`sessionIndex ${result.sessionIndex} != ${expect.session_index}`);
    for (const [name, values] of Object.entries(expect.attributes ?? {})) {
      if (JSON.stringify(result.attributes[name]) !== JSON.stringify(values)) problems.push(`attribute ${name}: ${JSON.stringify(result.attributes[name])} != ${JSON.stringify(values)}`);
    }
    return problems.length ? { ok: false, outcome: result, problem: problems.join('; ') } : { ok: true, outcome: result };
  }

  return { configOf, bodyOf, expectationOf, runVector };
}
