/**
 * validateResponse: the one entry point for an HTTP-POST SAML Response. The order is fixed here,
 * not left to the caller: config → body → one parse → structure → signatures → profile checks →
 * replay. Values flow one way; nothing reaches back to the raw text once the DOM exists.
 */
import type { Element } from '@xmldom/xmldom';
import { createSubtreeReuse } from '../xml/canonicalize.js';
import { loadVerificationKeys, type VerificationKey } from '../certificates.js';
import { loadDecryptionKeys, type DecryptionKey } from '../private-keys.js';
import { resolveConfig, type ResolvedConfig } from '../config.js';
import { checkRelayState, decodeBody } from './decode.js';
import { SamlError, hintForIdp, idpHint, idpKindOf, show, type IdpKind } from '../errors.js';
import { indexResponse, parseResponse, type ParsedResponse } from '../xml/parse.js';
import { decryptAssertion } from '../xml/xmlenc.js';
import { checkResponse, checkStatus } from './response-checks.js';
import { verifySignature } from '../xml/dsig.js';
import type { ResponseBody, SamlAssertion, SamlConfig, ValidateOptions } from '../types.js';

export async function validateResponse(config: SamlConfig, body: ResponseBody, options: ValidateOptions = {}): Promise<SamlAssertion> {
  // Which IdP this is, once known (from idp.entityId, else the document's Issuer), so a hint names
  // only that IdP's setting. Only hint wording depends on it, never a decision.
  const seen: { idp: IdpKind | null } = { idp: null };
  try {
    return await validate(config, body, options, seen);
  } catch (error) {
    if (error instanceof SamlError) throw hintForIdp(error, seen.idp);
    // A library or runtime failure on hostile input is still a typed rejection, never a TypeError.
    throw new SamlError('INVALID_INPUT', `The response could not be processed: ${show(error instanceof Error ? error.message : String(error))}.`);
  }
}

async function validate(config: SamlConfig, body: ResponseBody, options: ValidateOptions, seen: { idp: IdpKind | null }): Promise<SamlAssertion> {
  const cfg = resolveConfig(config);
  seen.idp = idpKindOf(cfg.idpEntityId);
  const { now, requestIds } = checkOptions(options);
  const keys = usableKeys(cfg, await loadVerificationKeys(cfg.certificates, cfg.minRsaKeyBits), now);
  // Checked at every call (imported once, cached): a bad decryption key is a config error even
  // before the first encrypted response arrives.
  const decryptionKeys = await loadDecryptionKeys(cfg.decryptionKeys, cfg.minRsaKeyBits);

  const { xml, relayState } = decodeBody(body, cfg.maxBodyBytes);
  checkRelayState(relayState, cfg.maxRelayStateBytes);
  let parsed = parseResponse(xml, cfg.xmlLimits);
  const { response } = parsed;
  seen.idp ??= idpKindOf(issuerText(response));
  checkStatus(response, parsed.signatures.some((s) => s.parentNode === response));
  // An EncryptedAssertion is decrypted only after the Response signature over it is verified (which
  // closes the padding and key-transport oracles); the decrypted Assertion then takes its place and
  // goes the way a plain one does.
  const decrypted = parsed.encryptedAssertions.length > 0;
  if (decrypted) parsed = await decryptInPlace(cfg, parsed, keys, decryptionKeys, now);
  const assertion = theAssertion(parsed);

  const { responseSignature, assertionSignature } = placeSignatures(parsed, assertion);
  requireSignatures(cfg, responseSignature, assertionSignature);
  // A signed Response covers its Assertion: theAssertion() proved it is a direct child. The
  // Assertion's content is canonicalized once for both digests where the rendering is the same.
  const reuse = createSubtreeReuse(assertion);
  if (responseSignature && !decrypted) await verifySignature(response, responseSignature, keys, cfg.allowSha1, reuse, now);
  if (assertionSignature) await verifySignature(assertion, assertionSignature, keys, cfg.allowSha1, reuse, now);

  const result = checkResponse({ config: cfg, response, assertion, responseSigned: responseSignature !== null, requestIds, now });
  const { replayUntil, ...assertionResult } = result;
  await checkReplay(cfg, result.issuer, result.assertionId, replayUntil, now);
  return { ...assertionResult, relayState };
}

/** With policy.rejectExpiredCertificates, only the certificates valid at `now`; at least one must be. */
function usableKeys(cfg: ResolvedConfig, keys: VerificationKey[], now: number): VerificationKey[] {
  if (!cfg.rejectExpiredCertificates) return keys;
  const valid = keys.filter((k) => k.notBefore <= now && now < k.notAfter);
  if (valid.length > 0) return valid;
  const [first] = keys as [VerificationKey];
  throw new SamlError(
    'CONFIG_INVALID',
    `Invalid configuration: no configured IdP certificate is valid at ${new Date(now).toISOString()}, and policy.rejectExpiredCertificates is true (${keys.map((k, i) => `idp.certificates[${i}] ${show(k.subject)} is valid ${new Date(k.notBefore).toISOString()} to ${new Date(k.notAfter).toISOString()}`).join('; ')}).`,
    first.notAfter <= now ? 'Paste the IdP\'s current signing certificate (the configured one has expired), or set policy.rejectExpiredCertificates to false.' : undefined,
  );
}

function checkOptions(options: ValidateOptions): { now: number; requestIds: string[] | null } {
  if (typeof options !== 'object' || options === null) throw new SamlError('INVALID_INPUT', `Expected options to be an object; got ${options === null ? 'null' : typeof options}.`);
  const now = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : NaN;
  if (!Number.isFinite(now)) throw new SamlError('INVALID_INPUT', 'Expected options.now to be a valid Date.');
  const id = options.requestId;
  if (id === undefined || id === null) return { now, requestIds: null };
  const ids = typeof id === 'string' ? [id] : id;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => typeof i !== 'string' || i === '')) {
    throw new SamlError('INVALID_INPUT', 'Expected options.requestId to be a non-empty string, an array of them, or null for IdP-initiated login.');
  }
  return { now, requestIds: ids };
}

/** The Response's Issuer text, unverified: used only to word hints. */
function issuerText(response: Element): string | null {
  for (let n = response.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === 'Issuer') return n.textContent;
  }
  return null;
}

/**
 * The Response with its one EncryptedAssertion replaced by the decrypted Assertion, indexed anew.
 * Before anything is decrypted: exactly one EncryptedAssertion, a direct child of the Response, no
 * plain Assertion anywhere, and the Response signature (when there is one, and there must be one
 * unless policy.requireSignedResponse is false) verified over the ciphertext.
 */
async function decryptInPlace(cfg: ResolvedConfig, parsed: ParsedResponse, keys: VerificationKey[], decryptionKeys: DecryptionKey[], now: number): Promise<ParsedResponse> {
  const { response, encryptedAssertions, assertions, signatures } = parsed;
  if (decryptionKeys.length === 0) {
    throw new SamlError(
      'ENCRYPTED_ASSERTION_UNSUPPORTED',
      'The Response carries an EncryptedAssertion, and no sp.decryptionKeys is configured to decrypt it.',
      idpHint('Configure sp.decryptionKeys with the SP\'s private key (docs/encryption.md), or turn off assertion encryption at the IdP', 'Assertion Encryption = Unencrypted', 'no token encryption certificate', '.'),
    );
  }
  const [encrypted] = encryptedAssertions as [Element];
  if (encryptedAssertions.length !== 1 || assertions.length > 0) {
    throw new SamlError('INVALID_ASSERTION', `Expected exactly one EncryptedAssertion and no plain Assertion; found ${encryptedAssertions.length} EncryptedAssertion and ${assertions.length} Assertion elements.`);
  }
  if (encrypted.parentNode !== response) {
    throw new SamlError('INVALID_ASSERTION', `Expected the EncryptedAssertion as a direct child of the Response; found it inside ${show(encrypted.parentNode?.nodeName)}.`);
  }
  // Every Signature outside the ciphertext must be the Response's own.
  const { responseSignature } = placeSignatures(parsed, encrypted);
  if (signatures.some((s) => s.parentNode === encrypted)) {
    throw new SamlError('SIGNATURE_INVALID', 'Expected at most one Signature on the Response; found a Signature on the EncryptedAssertion.');
  }
  if (responseSignature === null && cfg.requireSignedResponse) throw responseSignatureMissing(false);
  if (responseSignature !== null) await verifySignature(response, responseSignature, keys, cfg.allowSha1, createSubtreeReuse(encrypted), now);
  const assertion = await decryptAssertion(encrypted, { keys: decryptionKeys, allowTripleDes: cfg.allowTripleDes, limits: cfg.xmlLimits });
  response.replaceChild(parsed.document.importNode(assertion, true), encrypted);
  return indexResponse(parsed.document, response);
}

/** Exactly one Assertion, a direct child of the Response, and none anywhere else. */
function theAssertion({ response, assertions }: ParsedResponse): Element {
  if (assertions.length !== 1) {
    throw new SamlError('INVALID_ASSERTION', `Expected exactly one Assertion in the document; found ${assertions.length}.`);
  }
  const assertion = assertions[0] as Element;
  if (assertion.parentNode !== response) {
    throw new SamlError('INVALID_ASSERTION', `Expected the Assertion as a direct child of the Response; found it inside ${show(assertion.parentNode?.nodeName)}.`);
  }
  return assertion;
}

/** Signatures may sit only on the Response and the Assertion, at most one each (signature wrapping). */
function placeSignatures({ response, signatures }: ParsedResponse, assertion: Element) {
  let responseSignature: Element | null = null;
  let assertionSignature: Element | null = null;
  for (const signature of signatures) {
    const parent = signature.parentNode;
    if (parent === response && responseSignature === null) responseSignature = signature;
    else if (parent === assertion && assertionSignature === null) assertionSignature = signature;
    else {
      const where = parent === response || parent === assertion ? `a second Signature on the ${parent.localName}` : `a Signature inside ${show(parent?.nodeName)}`;
      throw new SamlError('SIGNATURE_INVALID', `Expected at most one Signature on the Response and one on the Assertion; found ${where}.`);
    }
  }
  return { responseSignature, assertionSignature };
}

function responseSignatureMissing(neither: boolean): SamlError {
  return new SamlError(
    'SIGNATURE_MISSING',
    neither ? 'Neither the Response nor the Assertion is signed.' : 'Expected a signed Response (policy.requireSignedResponse); the Response has no Signature.',
    idpHint('Have the IdP sign both', '"Response" and "Assertion Signature" = Signed', 'Signing Option "Sign SAML response and assertion"', '.'),
  );
}

function requireSignatures(cfg: ResolvedConfig, responseSignature: Element | null, assertionSignature: Element | null): void {
  if (responseSignature === null && (cfg.requireSignedResponse || assertionSignature === null)) throw responseSignatureMissing(assertionSignature === null);
  if (assertionSignature === null && cfg.requireSignedAssertion) {
    throw new SamlError(
      'SIGNATURE_MISSING',
      'Expected a signed Assertion (policy.requireSignedAssertion); the Assertion has no Signature.',
      idpHint('Have the IdP sign both', '"Assertion Signature" = Signed', 'Signing Option "Sign SAML response and assertion"', '.'),
    );
  }
}

/**
 * The store keeps the key while the assertion could still be accepted: until `replayUntil` (the
 * latest bearer confirmation's NotOnOrAfter, within Conditions), judged at `now` and carried over
 * to the store's own clock, plus the clock skew. Replay protection fails closed: only `true` is a
 * first use and `false` a replay; a store that throws, answers anything else or does not answer in
 * time refuses the login.
 */
async function checkReplay(cfg: ResolvedConfig, issuer: string, assertionId: string, replayUntil: number, now: number): Promise<void> {
  const lifetime = Math.max(0, replayUntil - now);
  const expiresAt = new Date(Date.now() + lifetime + cfg.clockSkewMs);
  const answer = await askReplayStore(cfg, `${issuer}\n${assertionId}`, expiresAt);
  if (answer === false) {
    throw new SamlError('REPLAYED', `The assertion ${show(assertionId)} from ${show(issuer)} was already used; each login response is accepted once.`);
  }
  // A store's own REPLAY_STORE_FAILED (saml-core/redis) already names the store and the cause.
  if (answer instanceof SamlError) throw answer;
  if (answer !== true) {
    throw new SamlError(
      'REPLAY_STORE_FAILED',
      `The replay store must answer remember() with true (first use) or false (replay); it answered ${answer.problem}. The login is refused: replay protection fails closed.`,
      'Check the replay store: its connection, and that remember() resolves to exactly true (first use) or false (replay).',
    );
  }
}

type StoreAnswer = boolean | SamlError | { problem: string };

async function askReplayStore(cfg: ResolvedConfig, key: string, expiresAt: Date): Promise<StoreAnswer> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<StoreAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ problem: `nothing within policy.replayStoreTimeoutMs (${cfg.replayStoreTimeoutMs} ms)` }), cfg.replayStoreTimeoutMs);
  });
  const answer = (async (): Promise<StoreAnswer> => {
    try {
      const value: unknown = await cfg.replayStore.remember(key, expiresAt);
      return typeof value === 'boolean' ? value : { problem: describeAnswer(value) };
    } catch (error) {
      if (error instanceof SamlError && error.code === 'REPLAY_STORE_FAILED') return error;
      return { problem: `with an error (${show(error instanceof Error ? error.message : String(error))})` };
    }
  })();
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeAnswer(value: unknown): string {
  if (typeof value === 'string') return `the string ${show(value)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
