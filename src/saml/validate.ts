/**
 * validateResponse and inspectResponse: the one pipeline for an HTTP-POST SAML Response. The order
 * is fixed here, not left to the caller: config → body → one parse → structure → signatures →
 * decryption → profile checks → replay. Values flow one way; nothing reaches back to the raw text
 * once the DOM exists. Each step is one check of the trace (src/saml/trace.ts): validateResponse
 * fails fast on the first; inspectResponse records each and goes on where that means something.
 */
import type { Element } from '@xmldom/xmldom';
import { createSubtreeReuse } from '../xml/canonicalize.js';
import { loadVerificationKeys, type VerificationKey } from '../certificates.js';
import { loadDecryptionKeys, type DecryptionKey } from '../private-keys.js';
import { resolveConfig, type ResolvedConfig } from '../config.js';
import { byteLength, checkRelayState, decodeBody } from './decode.js';
import { SamlError, hintForIdp, idpHint, idpKindOf, show } from '../errors.js';
import { NS, attr, children, optionalChild, textOf } from '../xml/dom.js';
import { indexResponse, parseResponse, type ParsedResponse } from '../xml/parse.js';
import { decryptAssertion } from '../xml/xmlenc.js';
import {
  assembleAssertion,
  checkAttributes,
  checkAudience,
  checkAuthnStatements,
  checkDestination,
  checkIssuers,
  checkNameId,
  checkResponseInResponseTo,
  checkStatus,
  checkSubjectConfirmation,
  checkValidity,
  checkVersions,
  type CheckContext,
} from './response-checks.js';
import { verifySignature, type VerifiedSignature } from '../xml/dsig.js';
import { SKIP, Trace, asSamlError } from './trace.js';
import { summarizeResponse } from './summary.js';
import type { InspectOptions, InspectResult, ReplayStore, ResponseBody, SamlAssertion, SamlConfig, ValidateOptions } from '../types.js';

export async function validateResponse(config: SamlConfig, body: ResponseBody, options: ValidateOptions = {}): Promise<SamlAssertion> {
  const trace = new Trace(false);
  try {
    return (await runChecks(config, body, options, undefined, trace, {})) as SamlAssertion;
  } catch (error) {
    // Which IdP this is, once known (from idp.entityId, else the document's Issuer), so a hint
    // names only that IdP's setting. Only hint wording depends on it, never a decision.
    throw hintForIdp(asSamlError(error), trace.idp);
  }
}

/**
 * inspectResponse: "why did this login fail?". The same checks in the same order, recorded one by
 * one instead of stopping at the first failure: the first failure is the error validateResponse
 * throws for the same input, and the assertion is returned only when every check passed.
 */
export async function inspectResponse(config: SamlConfig, body: ResponseBody, options: InspectOptions = {}): Promise<InspectResult> {
  const trace = new Trace(true);
  const seen: Observed = {};
  const store = typeof options === 'object' && options !== null ? options.replayStore : undefined;
  const assertion = await runChecks(config, body, options, store, trace, seen);
  const checks = trace.results();
  const error = trace.firstError();
  const document = seen.parsed === undefined
    ? null
    : await summarizeResponse(seen.parsed, { response: trace.responseVerified, assertion: trace.assertionVerified }, seen.encrypted === true);
  // runChecks returns the assertion only when no check failed (it records no replay key otherwise).
  return { ok: assertion !== null, assertion, error, checks, document };
}

/** What the pipeline saw, for inspectResponse's document summary. */
interface Observed {
  /** The document, after decryption when it was decrypted. */
  parsed?: ParsedResponse;
  encrypted?: boolean;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * Every check, in order. Failing fast (validateResponse) every check throws and the result is the
 * assertion. Recording (inspectResponse), a check's failure is recorded and the pipeline goes on
 * where what follows still means something: never past a body or a document it could not read,
 * never decrypting what the Response signature does not vouch for, and never recording a replay
 * key for a rejected response. The result is then the assertion only when every check passed.
 */
async function runChecks(
  config: SamlConfig,
  body: ResponseBody,
  options: ValidateOptions,
  replayStoreOption: ReplayStore | undefined,
  t: Trace,
  seen: Observed,
): Promise<SamlAssertion | null> {
  const setup = await t.runAsync('config', 'none', async () => {
    const cfg = resolveConfig(config);
    t.idp = idpKindOf(cfg.idpEntityId);
    const { now, requestIds } = checkOptions(options);
    const replayStore = replayStoreOption === undefined ? cfg.replayStore : checkReplayStore(replayStoreOption);
    const keys = usableKeys(cfg, await loadVerificationKeys(cfg.certificates, cfg.minRsaKeyBits), now);
    // Checked at every call (imported once, cached): a bad decryption key is a config error even
    // before the first encrypted response arrives.
    const decryptionKeys = await loadDecryptionKeys(cfg.decryptionKeys, cfg.minRsaKeyBits);
    return { cfg, now, requestIds, replayStore, keys, decryptionKeys };
  });
  if (setup === SKIP) return t.skipRest('Not run: the configuration or the options are invalid.');
  const { cfg, now, requestIds, replayStore, keys, decryptionKeys } = setup;

  const decoded = t.run('input.size', 'none', () => {
    const fields = decodeBody(body, cfg.maxBodyBytes);
    checkRelayState(fields.relayState, cfg.maxRelayStateBytes);
    return fields;
  }, (fields) => ({ expected: `at most ${cfg.maxBodyBytes} bytes, a base64 SAMLResponse of UTF-8 XML`, actual: bodySize(body, fields?.xml) }));
  if (decoded === SKIP) return t.skipRest('Not run: the body could not be read.');

  const parsed = t.run('xml.parse', 'none', () => parseResponse(decoded.xml, cfg.xmlLimits));
  if (parsed === SKIP) return t.skipRest('Not run: the document could not be parsed.');
  seen.parsed = parsed;
  const { response } = parsed;
  t.idp ??= idpKindOf(issuerText(response));
  const { signatures } = parsed;
  t.run('status', 'response', () => checkStatus(response, signatures.some((s) => s.parentNode === response)), () => ({ expected: show(SUCCESS), actual: show(statusCode(response)) }));

  // An EncryptedAssertion is decrypted only after the Response signature over it is verified (which
  // closes the padding and key-transport oracles); the decrypted Assertion then takes its place and
  // goes the way a plain one does.
  const encrypted = parsed.encryptedAssertions.length > 0;
  seen.encrypted = encrypted;
  const signed = t.run('assertion', 'response', () => (encrypted ? theEncryptedAssertion(parsed, decryptionKeys) : theAssertion(parsed)), () => ({
    expected: encrypted ? 'one EncryptedAssertion, a direct child of the Response' : 'one Assertion, a direct child of the Response',
    actual: `${parsed.assertions.length} Assertion and ${parsed.encryptedAssertions.length} EncryptedAssertion elements`,
  }));
  if (signed === SKIP) return t.skipRest('Not run: needs exactly one Assertion, a direct child of the Response.');

  const placed = placeSignatures(parsed, signed);
  const placement = t.run('signatures', 'response', () => checkPlacement(cfg, placed, encrypted), () => ({
    expected: `${cfg.requireSignedResponse ? 'a signed Response' : 'a Response signed or not'}, ${cfg.requireSignedAssertion ? 'a signed Assertion' : 'an Assertion signed or not'}, no other Signature`,
    actual: `Response ${placed.response ? 'signed' : 'not signed'}, ${encrypted ? 'EncryptedAssertion' : 'Assertion'} ${placed.assertion ? 'signed' : 'not signed'}${placed.misplaced ? `, ${placed.misplaced}` : ''}`,
  }));

  // A signed Response covers its Assertion: theAssertion() proved it is a direct child. The
  // Assertion's content is canonicalized once for both digests where the rendering is the same.
  const reuse = createSubtreeReuse(signed);
  const responseSignature = placed.response;
  const responseVerified = responseSignature === null
    ? t.skip('signature.response', 'signature', 'The Response is not signed.')
    : await t.runAsync('signature.response', 'signature', () => verifySignature(response, responseSignature, keys, cfg.allowSha1, reuse, now), signatureDetail(keys));
  t.responseVerified = responseVerified !== SKIP;

  let assertion = signed;
  let assertionSignature = placed.assertion;
  if (!encrypted) t.skip('decrypt', 'response', 'The Response carries no EncryptedAssertion.');
  else if (placement === SKIP || (responseSignature !== null && responseVerified === SKIP)) {
    // Recording only: decrypting what no verified signature vouches for would be the oracle.
    return t.skipRest('Not run: the EncryptedAssertion is decrypted only when the Response signature over it verified.');
  } else {
    const decrypted = await t.runAsync('decrypt', 'response', async () => {
      const plain = await decryptAssertion(signed, { keys: decryptionKeys, allowTripleDes: cfg.allowTripleDes, limits: cfg.xmlLimits });
      response.replaceChild(parsed.document.importNode(plain, true), signed);
      const reindexed = indexResponse(parsed.document, response);
      seen.parsed = reindexed;
      const inner = theAssertion(reindexed);
      const innerPlaced = placeSignatures(reindexed, inner);
      if (innerPlaced.misplaced !== null) throw misplacedSignature(innerPlaced.misplaced);
      return { inner, signature: innerPlaced.assertion };
    });
    if (decrypted === SKIP) return t.skipRest('Not run: no decrypted Assertion to check.');
    assertion = decrypted.inner;
    assertionSignature = decrypted.signature;
  }

  let assertionVerified: VerifiedSignature | void | typeof SKIP = SKIP;
  if (assertionSignature !== null) {
    const signature = assertionSignature;
    const assertionReuse = encrypted ? createSubtreeReuse(assertion) : reuse;
    assertionVerified = await t.runAsync('signature.assertion', 'signature', () => verifySignature(assertion, signature, keys, cfg.allowSha1, assertionReuse, now), signatureDetail(keys));
  } else if (cfg.requireSignedAssertion || responseSignature === null) {
    t.run('signature.assertion', 'signature', () => {
      throw responseSignature === null ? responseSignatureMissing(true) : assertionSignatureMissing();
    }, () => ({ expected: 'a signed Assertion', actual: 'no Signature on the Assertion' }));
  } else {
    t.skip('signature.assertion', 'signature', 'The Assertion is not signed: policy.requireSignedAssertion is false, and the Response signature covers it.');
  }
  t.assertionVerified = assertionVerified !== SKIP || t.responseVerified;

  const ctx: CheckContext = { config: cfg, response, assertion, responseSigned: responseSignature !== null, requestIds, now };
  t.check('version', 'both', checkVersions, ctx, SHOWN.version);
  t.check('destination', 'response', checkDestination, ctx, SHOWN.destination);
  const issuer = t.check('issuer', 'both', checkIssuers, ctx, SHOWN.issuer);
  const inResponseTo = t.check('in-response-to', 'response', checkResponseInResponseTo, ctx, SHOWN.inResponseTo);
  const confirmation = t.check('recipient', 'assertion', checkSubjectConfirmation, ctx, SHOWN.recipient);
  const validity = t.check('time.conditions', 'both', checkValidity, ctx, SHOWN.validity);
  t.check('audience', 'assertion', checkAudience, ctx, SHOWN.audience);
  const identity = t.check('nameid', 'assertion', checkNameId, ctx, SHOWN.nameId);
  const authentication = t.check('authn-statement', 'assertion', checkAuthnStatements, ctx, SHOWN.authentication);
  const claims = identity === SKIP
    ? t.skip('attributes', 'assertion', 'Not run: the email is read with the NameID, which failed.')
    : t.run('attributes', 'assertion', () => checkAttributes(ctx, identity), (read) => ({ actual: read ? `${Object.keys(read.attributes).length} attributes` : undefined }));

  if (t.failed || issuer === SKIP || inResponseTo === SKIP || confirmation === SKIP || validity === SKIP || identity === SKIP || authentication === SKIP || claims === SKIP) {
    t.skip('replay', 'assertion', 'Not run: the response is rejected, so its assertion is not recorded as used.');
    return null;
  }
  const result = assembleAssertion(ctx, { issuer, inResponseTo, confirmation, validity, identity, authentication, claims });
  const { replayUntil, ...assertionResult } = result;
  const replay = await t.runAsync('replay', 'assertion', () => checkReplay(cfg, replayStore, result.issuer, result.assertionId, replayUntil, now), () => ({
    expected: 'the first use of this assertion',
    actual: `assertion ${show(result.assertionId)} from ${show(result.issuer)}`,
  }));
  if (replay === SKIP) return null;
  return { ...assertionResult, relayState: decoded.relayState };
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
 * Before anything is decrypted: a decryption key, exactly one EncryptedAssertion, a direct child of
 * the Response, and no plain Assertion anywhere.
 */
function theEncryptedAssertion({ response, encryptedAssertions, assertions }: ParsedResponse, decryptionKeys: DecryptionKey[]): Element {
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
  return encrypted;
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

interface Placement {
  response: Element | null;
  /** On the Assertion (or the EncryptedAssertion, where none may be). */
  assertion: Element | null;
  /** The first Signature in document order that is neither, described; null when there is none. */
  misplaced: string | null;
}

/** Signatures may sit only on the Response and the Assertion, at most one each (signature wrapping). */
function placeSignatures({ response, signatures }: ParsedResponse, assertion: Element): Placement {
  const placement: Placement = { response: null, assertion: null, misplaced: null };
  for (const signature of signatures) {
    const parent = signature.parentNode;
    if (parent === response && placement.response === null) placement.response = signature;
    else if (parent === assertion && placement.assertion === null) placement.assertion = signature;
    else placement.misplaced ??= parent === response || parent === assertion ? `a second Signature on the ${parent.localName}` : `a Signature inside ${show(parent?.nodeName)}`;
  }
  return placement;
}

function misplacedSignature(where: string): SamlError {
  return new SamlError('SIGNATURE_INVALID', `Expected at most one Signature on the Response and one on the Assertion; found ${where}.`);
}

/**
 * Every Signature where it may be, and the Response signed as the policy requires. With an
 * EncryptedAssertion, no Signature on it (the Assertion's own is inside the ciphertext), and the
 * Response signature over it required unless policy.requireSignedResponse is false.
 */
function checkPlacement(cfg: ResolvedConfig, placed: Placement, encrypted: boolean): void {
  if (placed.misplaced !== null) throw misplacedSignature(placed.misplaced);
  if (encrypted && placed.assertion !== null) {
    throw new SamlError('SIGNATURE_INVALID', 'Expected at most one Signature on the Response; found a Signature on the EncryptedAssertion.');
  }
  if (placed.response === null && (cfg.requireSignedResponse || (!encrypted && placed.assertion === null))) throw responseSignatureMissing(!encrypted && placed.assertion === null);
}

function responseSignatureMissing(neither: boolean): SamlError {
  return new SamlError(
    'SIGNATURE_MISSING',
    neither ? 'Neither the Response nor the Assertion is signed.' : 'Expected a signed Response (policy.requireSignedResponse); the Response has no Signature.',
    idpHint('Have the IdP sign both', '"Response" and "Assertion Signature" = Signed', 'Signing Option "Sign SAML response and assertion"', '.'),
  );
}

function assertionSignatureMissing(): SamlError {
  return new SamlError(
    'SIGNATURE_MISSING',
    'Expected a signed Assertion (policy.requireSignedAssertion); the Assertion has no Signature.',
    idpHint('Have the IdP sign both', '"Assertion Signature" = Signed', 'Signing Option "Sign SAML response and assertion"', '.'),
  );
}

/** inspectResponse's options.replayStore, checked as the config's is. */
function checkReplayStore(store: ReplayStore): ReplayStore {
  if (typeof store !== 'object' || store === null || typeof (store as Partial<ReplayStore>).remember !== 'function') {
    throw new SamlError('INVALID_INPUT', 'Expected options.replayStore to have a remember(key, expiresAt) method.', 'Pass createMemoryReplayStore() to inspect without consuming the config\'s store, or leave it out.');
  }
  return store;
}

// What the trace shows a check looked at: read for people, never a decision (src/saml/trace.ts).

/** The profile checks' expected and actual values, read only when inspecting. */
const SHOWN = {
  version: ({ response, assertion }: CheckContext) => ({
    expected: 'Version "2.0" and an ID on each',
    actual: `Response ${show(attr(response, 'Version'))} ID ${show(attr(response, 'ID'))}, Assertion ${show(attr(assertion, 'Version'))} ID ${show(attr(assertion, 'ID'))}`,
  }),
  destination: ({ config, response }: CheckContext) => ({ expected: `${show(config.acsUrl)} (sp.acsUrl)`, actual: show(attr(response, 'Destination')) }),
  issuer: ({ config, response, assertion }: CheckContext) => ({
    expected: config.idpEntityId === null ? 'the Response and Assertion Issuers agree (idp.entityId is not set)' : `${show(config.idpEntityId)} (idp.entityId)`,
    actual: `Response ${show(issuerText(response))}, Assertion ${show(issuerText(assertion))}`,
  }),
  inResponseTo: ({ requestIds, response }: CheckContext) => ({ expected: requestIdsText(requestIds), actual: show(attr(response, 'InResponseTo')) }),
  recipient: ({ config, requestIds, assertion }: CheckContext) => ({
    expected: `a bearer confirmation for ${show(config.acsUrl)} (sp.acsUrl), ${requestIdsText(requestIds)}, not expired`,
    actual: confirmationText(assertion),
  }),
  validity: ({ config, now, assertion }: CheckContext) => ({
    expected: `NotBefore ≤ now < NotOnOrAfter, IssueInstant not in the future (clock skew ${config.clockSkewMs / 1000} s)`,
    actual: `now ${new Date(now).toISOString()}; ${conditionsText(assertion)}`,
  }),
  audience: ({ config, assertion }: CheckContext) => ({ expected: `${show(config.spEntityId)} (sp.entityId)`, actual: audiencesText(assertion) }),
  nameId: ({ config, assertion }: CheckContext) => ({
    expected: config.nameIdFormat === null ? 'a NameID of any format' : `a NameID of format ${show(config.nameIdFormat)}`,
    actual: nameIdText(assertion),
  }),
  authentication: ({ assertion }: CheckContext) => ({
    expected: 'at least one AuthnStatement, its SessionNotOnOrAfter ahead',
    actual: `${children(assertion, NS.assertion, 'AuthnStatement').length} AuthnStatement elements`,
  }),
};

function bodySize(body: ResponseBody, xml: string | undefined): string | undefined {
  const size = typeof body === 'string' ? byteLength(body, Infinity) : body instanceof Uint8Array ? body.byteLength : null;
  const parts = [size === null ? null : `${size} bytes`, xml === undefined ? null : `${byteLength(xml, Infinity)} bytes of XML`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function statusCode(response: Element): string | null {
  const status = optionalChild(response, NS.protocol, 'Status');
  const code = status && optionalChild(status, NS.protocol, 'StatusCode');
  return code && attr(code, 'Value');
}

function signatureDetail(keys: readonly VerificationKey[]) {
  return (verified: VerifiedSignature | undefined) => ({
    expected: `signed with ${keys.map((k) => show(k.subject)).join(' or ')}`,
    actual: verified ? `verified with ${show(verified.certificateSubject)} (SHA-256 ${verified.certificateSha256}), ${verified.signatureAlgorithm}` : undefined,
  });
}

function requestIdsText(requestIds: readonly string[] | null): string {
  return requestIds === null ? 'no InResponseTo (IdP-initiated: no pending request ID)' : `InResponseTo ${requestIds.map((id) => show(id)).join(' or ')}`;
}

function confirmationText(assertion: Element): string {
  const subject = optionalChild(assertion, NS.assertion, 'Subject');
  const data = (subject ? children(subject, NS.assertion, 'SubjectConfirmation') : []).flatMap((c) => children(c, NS.assertion, 'SubjectConfirmationData').map((d) => ({ method: attr(c, 'Method'), d })));
  if (data.length === 0) return 'no SubjectConfirmationData';
  return data.slice(0, 3).map(({ method, d }) => `${method?.endsWith(':bearer') ? 'bearer' : show(method)}: Recipient ${show(attr(d, 'Recipient'))}, InResponseTo ${show(attr(d, 'InResponseTo'))}, NotOnOrAfter ${show(attr(d, 'NotOnOrAfter'))}`).join('; ');
}

function conditionsText(assertion: Element): string {
  const conditions = optionalChild(assertion, NS.assertion, 'Conditions');
  if (conditions === null) return 'no Conditions';
  return `NotBefore ${show(attr(conditions, 'NotBefore'))}, NotOnOrAfter ${show(attr(conditions, 'NotOnOrAfter'))}, IssueInstant ${show(attr(assertion, 'IssueInstant'))}`;
}

function audiencesText(assertion: Element): string {
  const conditions = optionalChild(assertion, NS.assertion, 'Conditions');
  const audiences = (conditions ? children(conditions, NS.assertion, 'AudienceRestriction') : []).flatMap((r) => children(r, NS.assertion, 'Audience').map(textOf));
  if (audiences.length === 0) return 'no Audience';
  const shown = audiences.slice(0, 5).map((a) => show(a)).join(', ');
  return audiences.length > 5 ? `${shown} and ${audiences.length - 5} more` : shown;
}

function nameIdText(assertion: Element): string {
  const subject = optionalChild(assertion, NS.assertion, 'Subject');
  const nameId = subject && optionalChild(subject, NS.assertion, 'NameID');
  if (nameId === null) return subject && optionalChild(subject, NS.assertion, 'EncryptedID') ? 'an EncryptedID' : 'no NameID';
  return `${show(textOf(nameId))} of format ${show(attr(nameId, 'Format') ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified')}`;
}

/**
 * The store keeps the key while the assertion could still be accepted: until `replayUntil` (the
 * latest bearer confirmation's NotOnOrAfter, within Conditions), judged at `now` and carried over
 * to the store's own clock, plus the clock skew. Replay protection fails closed: only `true` is a
 * first use and `false` a replay; a store that throws, answers anything else or does not answer in
 * time refuses the login.
 */
async function checkReplay(cfg: ResolvedConfig, store: ReplayStore, issuer: string, assertionId: string, replayUntil: number, now: number): Promise<void> {
  const lifetime = Math.max(0, replayUntil - now);
  const expiresAt = new Date(Date.now() + lifetime + cfg.clockSkewMs);
  const answer = await askReplayStore(cfg, store, `${issuer}\n${assertionId}`, expiresAt);
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

async function askReplayStore(cfg: ResolvedConfig, store: ReplayStore, key: string, expiresAt: Date): Promise<StoreAnswer> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<StoreAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ problem: `nothing within policy.replayStoreTimeoutMs (${cfg.replayStoreTimeoutMs} ms)` }), cfg.replayStoreTimeoutMs);
  });
  const answer = (async (): Promise<StoreAnswer> => {
    try {
      const value: unknown = await store.remember(key, expiresAt);
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
