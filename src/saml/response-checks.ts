/**
 * The SAML 2.0 Web Browser SSO profile's rules (saml-profiles-2.0-os, 4.1.4.2-4.1.4.3), one check
 * per rule in the profile's order, each naming what was expected and what came. They run only on
 * the Response and Assertion elements whose signatures were verified, and the returned values are
 * read from those same elements.
 */
import type { Element } from '@xmldom/xmldom';
import type { ResolvedConfig } from '../config.js';
import { NS, attr, children, optionalChild, requiredChild, textOf } from '../xml/dom.js';
import { parseDateTime } from './datetime.js';
import { isEmail } from './email.js';
import { PROFILE_ATTRIBUTES, readProfile } from './profile.js';
import { SamlError, idpHint, show } from '../errors.js';
import type { SamlAssertion } from '../types.js';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const EMAIL_FORMATS = new Set(['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress']);
// The email attributes are the profile's (src/saml/profile.ts): one list, lower-cased for lookup.
const EMAIL_ATTRIBUTES = PROFILE_ATTRIBUTES.email.map((name) => name.toLowerCase());

/**
 * Top-level StatusCode must be Success. It is checked before any signature (IdP error responses
 * are often unsigned), so the IdP's words are reported as what an unverified element says: quoted,
 * cut and escaped, never trusted.
 */
export function checkStatus(response: Element, hasSignature: boolean): void {
  const status = requiredChild(response, NS.protocol, 'Status');
  const code = requiredChild(status, NS.protocol, 'StatusCode');
  const value = attr(code, 'Value');
  if (value === SUCCESS) return;
  const second = optionalChild(code, NS.protocol, 'StatusCode');
  const message = optionalChild(status, NS.protocol, 'StatusMessage');
  const detail = [
    second && `second-level status ${show(attr(second, 'Value'))}`,
    message && `message ${show(textOf(message))}`,
  ].filter(Boolean);
  const source = hasSignature ? 'the Response (its signature is not checked before the status)' : 'the unsigned Response';
  throw new SamlError(
    'STATUS_NOT_SUCCESS',
    `Expected the status Success; ${source} says ${show(value)}${detail.length > 0 ? `, with ${detail.join(' and ')}` : ''}.`,
    'Check that the user is assigned to the SAML application at the IdP and that the SP Entity ID and ACS URL there match this SP.',
  );
}

export interface CheckContext {
  config: ResolvedConfig;
  response: Element;
  assertion: Element;
  responseSigned: boolean;
  /** Pending AuthnRequest IDs, or null for IdP-initiated login. */
  requestIds: readonly string[] | null;
  now: number;
}

/** What the checks found, from which validate.ts assembles the SamlAssertion. */
export interface Confirmation {
  subject: Element;
  /** The bearer SubjectConfirmationData that satisfied every rule. */
  data: Element;
}

export interface Validity {
  conditions: Element | null;
  notBefore: Date | null;
  notOnOrAfter: Date | null;
}

export interface Authentication {
  sessionIndex: string | null;
  authnInstant: Date | null;
  sessionNotOnOrAfter: Date | null;
}

export interface Identity {
  nameId: string;
  nameIdFormat: string;
}

export type CheckedAssertion = Omit<SamlAssertion, 'relayState'> & {
  /** Until when (ms, before skew) the assertion could still be accepted: the replay key's lifetime. */
  replayUntil: number;
};

/** Version 2.0 and an ID on the Response, then on the Assertion. */
export function checkVersions({ response, assertion }: CheckContext): void {
  checkVersionAndId(response);
  checkVersionAndId(assertion);
}

/** The Subject and a bearer SubjectConfirmation whose data satisfies every rule (4.1.4.2). */
export function checkSubjectConfirmation(ctx: CheckContext): Confirmation {
  const subject = requiredChild(ctx.assertion, NS.assertion, 'Subject');
  return { subject, data: bearerConfirmation(subject, ctx) };
}

/** Conditions NotBefore / NotOnOrAfter, then neither IssueInstant in the future. */
export function checkValidity({ config, response, assertion, now }: CheckContext): Validity {
  const skew = config.clockSkewMs;
  const conditions = optionalChild(assertion, NS.assertion, 'Conditions');
  const notOnOrAfter = conditions && time(conditions, 'NotOnOrAfter');
  const notBefore = conditions && time(conditions, 'NotBefore');
  if (notBefore !== null && now + skew < notBefore.getTime()) {
    throw new SamlError('NOT_YET_VALID', `The assertion is not valid before ${notBefore.toISOString()} (Conditions NotBefore); it is now ${iso(now)}.`, clockHint);
  }
  if (notOnOrAfter !== null && now - skew >= notOnOrAfter.getTime()) {
    throw new SamlError('EXPIRED', `The assertion expired at ${notOnOrAfter.toISOString()} (Conditions NotOnOrAfter); it is now ${iso(now)}.`, clockHint);
  }
  for (const element of [response, assertion]) {
    const issued = requiredTime(element, 'IssueInstant');
    if (issued.getTime() > now + skew) {
      throw new SamlError('NOT_YET_VALID', `The ${element.localName} IssueInstant ${issued.toISOString()} is in the future; it is now ${iso(now)}.`, clockHint);
    }
  }
  return { conditions, notBefore, notOnOrAfter };
}

/**
 * At least one AuthnStatement (4.1.4.2): an assertion that says nothing of an authentication does
 * not sign anyone in. Every one's SessionNotOnOrAfter must still be ahead.
 */
export function checkAuthnStatements({ assertion, config, now }: CheckContext): Authentication {
  const statements = children(assertion, NS.assertion, 'AuthnStatement');
  if (statements.length === 0) {
    throw new SamlError('INVALID_ASSERTION', 'Expected at least one AuthnStatement in the Assertion (the Web Browser SSO profile requires one); found none.', 'Have the IdP send an authentication assertion (a login response), not an attribute-only assertion.');
  }
  let sessionNotOnOrAfter: Date | null = null;
  for (const statement of statements) {
    const ends = time(statement, 'SessionNotOnOrAfter');
    if (ends !== null && now - config.clockSkewMs >= ends.getTime()) {
      throw new SamlError('EXPIRED', `The IdP session ended at ${ends.toISOString()} (SessionNotOnOrAfter); it is now ${iso(now)}.`, 'Sign in at the IdP again.');
    }
    sessionNotOnOrAfter = earliest(sessionNotOnOrAfter, ends);
  }
  const authn = statements[0] as Element;
  return { sessionIndex: attr(authn, 'SessionIndex'), authnInstant: time(authn, 'AuthnInstant'), sessionNotOnOrAfter };
}

/** The attributes, and the email: the NameID's when its format is emailAddress, else an email attribute's. */
export function checkAttributes({ assertion }: CheckContext, { nameId, nameIdFormat }: Identity): Pick<SamlAssertion, 'attributes' | 'email' | 'profile'> {
  const attributes = readAttributes(assertion);
  const emailNameId = EMAIL_FORMATS.has(nameIdFormat);
  return { attributes, email: emailNameId ? nameId : emailFromAttributes(attributes), profile: readProfile(attributes, nameId, emailNameId) };
}

/** The result, from what the checks returned: every value read from the checked elements. */
export function assembleAssertion(
  { response, assertion }: CheckContext,
  parts: { issuer: string; inResponseTo: string | null; confirmation: Confirmation; validity: Validity; identity: Identity; authentication: Authentication; claims: Pick<SamlAssertion, 'attributes' | 'email' | 'profile'> },
): CheckedAssertion {
  const { issuer, inResponseTo, confirmation, validity, identity, authentication, claims } = parts;
  return {
    nameId: identity.nameId,
    nameIdFormat: identity.nameIdFormat,
    email: claims.email,
    sessionIndex: authentication.sessionIndex,
    attributes: claims.attributes,
    issuer,
    assertionId: attr(assertion, 'ID') as string,
    responseId: attr(response, 'ID') ?? '',
    inResponseTo: attr(confirmation.data, 'InResponseTo') ?? inResponseTo,
    authnInstant: authentication.authnInstant,
    notOnOrAfter: earliest(validity.notOnOrAfter, time(confirmation.data, 'NotOnOrAfter')),
    sessionNotOnOrAfter: authentication.sessionNotOnOrAfter,
    replayUntil: acceptableUntil(confirmation.subject, validity.notOnOrAfter),
    profile: claims.profile,
  };
}

/**
 * The last instant at which this assertion could still be accepted (before the clock skew): the
 * latest NotOnOrAfter of its bearer confirmations, within Conditions NotOnOrAfter. The replay key
 * is kept until then, so no other bearer confirmation keeps the assertion acceptable after the key
 * is gone.
 */
function acceptableUntil(subject: Element, conditionsNotOnOrAfter: Date | null): number {
  let latest = -Infinity;
  for (const confirmation of children(subject, NS.assertion, 'SubjectConfirmation')) {
    if (attr(confirmation, 'Method') !== BEARER) continue;
    for (const data of children(confirmation, NS.assertion, 'SubjectConfirmationData')) {
      const value = attr(data, 'NotOnOrAfter');
      const instant = value === null ? null : parseDateTime(value);
      if (instant !== null && instant > latest) latest = instant;
    }
  }
  return conditionsNotOnOrAfter === null ? latest : Math.min(latest, conditionsNotOnOrAfter.getTime());
}

const clockHint = 'Check the clocks of the SP and the IdP, or raise policy.clockSkewSeconds slightly.';
const acsHint = idpHint('Set the IdP\'s ACS URL', '"Single sign-on URL"', '"Reply URL (Assertion Consumer Service URL)"', ' to exactly sp.acsUrl.');

function checkVersionAndId(element: Element): void {
  const version = attr(element, 'Version');
  if (version !== '2.0') {
    throw new SamlError('INVALID_ASSERTION', `Expected ${element.localName} Version "2.0"; got ${show(version)}.`);
  }
  if (!attr(element, 'ID')) throw new SamlError('INVALID_ASSERTION', `Expected an ID on the ${element.localName}; found none.`);
}

/** How a value read from the Response is introduced: it is unverified when the Response is unsigned. */
function says(responseSigned: boolean): string {
  return responseSigned ? 'got' : 'the unsigned Response says';
}

export function checkDestination({ response, responseSigned, config }: CheckContext): void {
  const destination = attr(response, 'Destination');
  // Required on a signed Response (saml-bindings 3.5.5.2); when present it must always match.
  if (destination === null && !responseSigned) return;
  if (destination !== config.acsUrl) {
    throw new SamlError('DESTINATION_MISMATCH', `Expected the Response Destination ${show(config.acsUrl)} (sp.acsUrl); ${says(responseSigned)} ${show(destination)}.`, acsHint);
  }
}

/**
 * Issuers are compared exactly, code point for code point: Issuer is an xs:string (NameIDType), so
 * the schema trims nothing, and String.prototype.trim() would strip Unicode spaces (U+00A0,
 * U+3000, U+FEFF...) that XML never treats as white space.
 */
export function checkIssuers({ response, assertion, config, responseSigned }: CheckContext): string {
  const issuerHint = idpHint('Set idp.entityId to the IdP\'s issuer', '"Identity Provider Issuer"', '"Microsoft Entra Identifier"', '.');
  const responseIssuerElement = optionalChild(response, NS.assertion, 'Issuer');
  const issuerElement = optionalChild(assertion, NS.assertion, 'Issuer');
  if (issuerElement === null) throw new SamlError('INVALID_ASSERTION', 'Expected an Issuer in the Assertion; found none.');
  const issuer = textOf(issuerElement);
  const responseIssuer = responseIssuerElement && textOf(responseIssuerElement);
  if (config.idpEntityId !== null) {
    if (responseIssuer !== null && responseIssuer !== config.idpEntityId) {
      throw new SamlError('ISSUER_MISMATCH', `Expected the Response Issuer ${show(config.idpEntityId)} (idp.entityId); ${says(responseSigned)} ${show(responseIssuer)}.`, issuerHint);
    }
    if (issuer !== config.idpEntityId) {
      throw new SamlError('ISSUER_MISMATCH', `Expected the Assertion Issuer ${show(config.idpEntityId)} (idp.entityId); got ${show(issuer)}.`, issuerHint);
    }
  } else if (responseIssuer !== null && responseIssuer !== issuer) {
    throw new SamlError('ISSUER_MISMATCH', `Expected the Response and Assertion Issuers to agree; ${says(responseSigned)} ${show(responseIssuer)}, the Assertion ${show(issuer)}.`);
  }
  return issuer;
}

export function checkResponseInResponseTo({ response, requestIds, config, responseSigned }: CheckContext): string | null {
  const inResponseTo = attr(response, 'InResponseTo');
  if (requestIds === null) {
    if (!config.allowIdpInitiated) {
      throw new SamlError(
        'UNSOLICITED_RESPONSE',
        'IdP-initiated login is disabled (policy.allowIdpInitiated is false) and no pending AuthnRequest ID was given.',
        'Start the login at the SP, or pass the stored AuthnRequest ID as options.requestId.',
      );
    }
    if (inResponseTo !== null) throw unexpectedInResponseTo(responseSigned ? 'Response' : 'unsigned Response', inResponseTo);
    return null;
  }
  if (inResponseTo === null || !requestIds.includes(inResponseTo)) throw inResponseToMismatch(responseSigned ? 'Response' : 'unsigned Response', requestIds, inResponseTo);
  return inResponseTo;
}

/**
 * InResponseTo present but no pending request ID passed: the login did start at the SP, and the ID
 * was lost on the way back. By far the most common cause is the session cookie that held it: the
 * IdP's POST to the ACS URL is cross-site, so a SameSite=Lax or Strict cookie is not sent with it.
 */
function unexpectedInResponseTo(where: string, got: string): SamlError {
  return new SamlError(
    'IN_RESPONSE_TO_MISMATCH',
    `Expected no InResponseTo on the ${where}, because no pending AuthnRequest ID was passed (options.requestId is null); got ${show(got)}. The login started at the SP, so its request ID was lost: most likely the session cookie holding it was not sent with the IdP's cross-site POST (a SameSite=Lax or Strict cookie is not).`,
    'Keep the pending request ID in a SameSite=None; Secure cookie, or server-side keyed by RelayState, and pass it as options.requestId (docs/sessions.md).',
  );
}

function inResponseToMismatch(where: string, expected: readonly string[], got: string | null): SamlError {
  return new SamlError(
    'IN_RESPONSE_TO_MISMATCH',
    `Expected the ${where} InResponseTo to be ${expected.map((id) => show(id)).join(' or ')} (the pending AuthnRequest); got ${show(got)}.`,
    'The response answers another login attempt; start the login again.',
  );
}

/** The bearer SubjectConfirmation whose data satisfies every rule; holder-of-key alone is refused. */
function bearerConfirmation(subject: Element, ctx: CheckContext): Element {
  const bearers = children(subject, NS.assertion, 'SubjectConfirmation').filter((c) => attr(c, 'Method') === BEARER);
  if (bearers.length === 0) {
    throw new SamlError('INVALID_ASSERTION', `Expected a bearer SubjectConfirmation (${BEARER}) in the Subject; found none.`, 'The Web Browser SSO profile requires bearer confirmation.');
  }
  let firstError: unknown;
  for (const bearer of bearers) {
    try {
      return checkConfirmationData(bearer, ctx);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

function checkConfirmationData(confirmation: Element, { config, requestIds, now }: CheckContext): Element {
  const data = optionalChild(confirmation, NS.assertion, 'SubjectConfirmationData');
  if (data === null) throw new SamlError('RECIPIENT_MISMATCH', `Expected a SubjectConfirmationData with Recipient ${show(config.acsUrl)}; found none.`, acsHint);
  const inResponseTo = attr(data, 'InResponseTo');
  if (requestIds === null) {
    if (inResponseTo !== null) throw unexpectedInResponseTo('SubjectConfirmationData', inResponseTo);
  } else if (inResponseTo === null || !requestIds.includes(inResponseTo)) {
    throw inResponseToMismatch('SubjectConfirmationData', requestIds, inResponseTo);
  }
  const recipient = attr(data, 'Recipient');
  if (recipient !== config.acsUrl) {
    throw new SamlError('RECIPIENT_MISMATCH', `Expected the SubjectConfirmationData Recipient ${show(config.acsUrl)} (sp.acsUrl); got ${show(recipient)}.`, acsHint);
  }
  const notOnOrAfter = requiredTime(data, 'NotOnOrAfter');
  if (now - config.clockSkewMs >= notOnOrAfter.getTime()) {
    throw new SamlError('EXPIRED', `The bearer confirmation expired at ${notOnOrAfter.toISOString()} (SubjectConfirmationData NotOnOrAfter); it is now ${iso(now)}.`, clockHint);
  }
  const notBefore = time(data, 'NotBefore');
  if (notBefore !== null && now + config.clockSkewMs < notBefore.getTime()) {
    throw new SamlError('NOT_YET_VALID', `The bearer confirmation is not valid before ${notBefore.toISOString()}; it is now ${iso(now)}.`, clockHint);
  }
  return data;
}

export function checkAudience({ assertion, config }: CheckContext): void {
  const spEntityId = config.spEntityId;
  const conditions = optionalChild(assertion, NS.assertion, 'Conditions');
  const hint = idpHint('Set the IdP\'s audience', '"Audience URI (SP Entity ID)"', '"Identifier (Entity ID)"', ' to exactly sp.entityId.');
  const restrictions = conditions ? children(conditions, NS.assertion, 'AudienceRestriction') : [];
  if (restrictions.length === 0) {
    throw new SamlError('AUDIENCE_MISMATCH', `Expected an AudienceRestriction naming ${show(spEntityId)} (sp.entityId); the assertion has none.`, hint);
  }
  for (const restriction of restrictions) {
    // Audience is an xs:anyURI, whose white space the schema collapses: XML white space only
    // (space, tab, CR, LF), never other Unicode spaces; then the code points must be equal.
    const audiences = children(restriction, NS.assertion, 'Audience').map((a) => collapseXmlWhiteSpace(textOf(a)));
    if (!audiences.includes(spEntityId)) {
      throw new SamlError('AUDIENCE_MISMATCH', `Expected the audience ${show(spEntityId)} (sp.entityId); got ${showList(audiences) || 'no Audience'}.`, hint);
    }
  }
}

export function checkNameId({ assertion, config }: CheckContext): Identity {
  const subject = requiredChild(assertion, NS.assertion, 'Subject');
  if (optionalChild(subject, NS.assertion, 'EncryptedID')) {
    throw new SamlError('ENCRYPTED_ASSERTION_UNSUPPORTED', 'The NameID is encrypted (EncryptedID); saml-core does not decrypt.', 'Turn off NameID encryption at the IdP.');
  }
  const element = optionalChild(subject, NS.assertion, 'NameID');
  const formatHint = idpHint('Set the IdP\'s NameID format', '"Name ID format" = EmailAddress', '"Unique User Identifier" = user.mail with format Email address', ', or change policy.nameIdFormat.');
  if (element === null) throw new SamlError('NAMEID_INVALID', 'Expected a NameID in the Subject; found none.', formatHint);
  // Returned exactly as signed (NameID is an xs:string: the schema trims nothing).
  const nameId = textOf(element);
  const nameIdFormat = attr(element, 'Format') ?? UNSPECIFIED;
  if (nameId === '') throw new SamlError('NAMEID_INVALID', 'Expected a non-empty NameID; got an empty one.', formatHint);
  checkIdentityCharacters(nameId, 'NameID');
  if (config.nameIdFormat !== null && nameIdFormat !== config.nameIdFormat) {
    throw new SamlError('NAMEID_FORMAT_MISMATCH', `Expected NameID format ${show(config.nameIdFormat)}; got ${show(nameIdFormat)}.`, formatHint);
  }
  if (EMAIL_FORMATS.has(nameIdFormat) && !isEmail(nameId)) {
    throw new SamlError('NAMEID_INVALID', `Expected an email address in the NameID (format emailAddress); got ${show(nameId)}.`, idpHint('Map the NameID to the user\'s email', 'Application username = Email', 'Unique User Identifier = user.mail', '.'));
  }
  return { nameId, nameIdFormat };
}


function readAttributes(assertion: Element): Record<string, string[]> {
  const attributes: Record<string, string[]> = Object.create(null);
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    if (children(statement, NS.assertion, 'EncryptedAttribute').length > 0) {
      throw new SamlError('ENCRYPTED_ASSERTION_UNSUPPORTED', 'The assertion carries an EncryptedAttribute; saml-core does not decrypt.', 'Turn off attribute encryption at the IdP.');
    }
    for (const attribute of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) throw new SamlError('INVALID_ASSERTION', 'Expected a Name on every Attribute; found one without.');
      const values = (attributes[name] ??= []);
      for (const value of children(attribute, NS.assertion, 'AttributeValue')) values.push(attributeValueText(value));
    }
  }
  return attributes;
}

/**
 * An AttributeValue's text; one whose content is a single saml:NameID (eduPersonTargetedID as
 * Shibboleth sends it, saml-core 2.7.3.1.1) reads as that NameID's text. Any other element is refused.
 */
function attributeValueText(value: Element): string {
  const nameIds = children(value, NS.assertion, 'NameID');
  const only = nameIds[0];
  if (nameIds.length !== 1 || only === undefined) return textOf(value);
  for (let n = value.firstChild; n !== null; n = n.nextSibling) {
    if (n !== only && n.nodeType !== 8 && (n.nodeType !== 3 || /\S/.test((n as unknown as { data: string }).data))) return textOf(value);
  }
  return textOf(only);
}

/** The first email-attribute value that is an email address, exactly as signed. */
function emailFromAttributes(attributes: Record<string, string[]>): string | null {
  for (const name of Object.keys(attributes)) {
    if (!EMAIL_ATTRIBUTES.includes(name.toLowerCase())) continue;
    for (const value of attributes[name] as string[]) {
      checkIdentityCharacters(value, `${name} attribute value`);
      if (isEmail(value)) return value;
    }
  }
  return null;
}

// An identity holds no white space but U+0020, no control and no format character (Unicode Z*,
// Cc, Cf): U+00A0 + "admin@example.com" must never be read as "admin@example.com".
const NOT_IN_IDENTITY = /(?! )[\p{Z}\p{Cc}\p{Cf}]/u;

function checkIdentityCharacters(value: string, what: string): void {
  const found = NOT_IN_IDENTITY.exec(value);
  if (found === null) return;
  const code = (found[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  throw new SamlError(
    'NAMEID_INVALID',
    `Expected the ${what} without white space, control or format characters; got ${show(value)} (U+${code} at index ${found.index}).`,
    'Have the IdP send the user\'s identifier without surrounding white space or invisible characters (check the attribute it is mapped from).',
  );
}

/** xs:anyURI's whiteSpace=collapse: runs of XML white space become one space, none at the ends. */
function collapseXmlWhiteSpace(value: string): string {
  return value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

/** At most a few quoted values; a document may carry thousands. */
function showList(values: readonly string[]): string {
  const shown = values.slice(0, 5).map((v) => show(v)).join(', ');
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}

/** An xs:dateTime attribute with a time zone (SAML times are UTC, "Z"; an explicit offset is accepted). */
function time(element: Element, name: string): Date | null {
  const value = attr(element, name);
  if (value === null) return null;
  const instant = parseDateTime(value);
  if (instant === null) {
    throw new SamlError('INVALID_ASSERTION', `Expected ${element.localName} ${name} to be a valid xs:dateTime with a time zone; got ${show(value)}.`);
  }
  return new Date(instant);
}

function requiredTime(element: Element, name: string): Date {
  const value = time(element, name);
  if (value === null) throw new SamlError('INVALID_ASSERTION', `Expected a ${name} on the ${element.localName}; found none.`);
  return value;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
