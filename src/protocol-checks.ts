/**
 * The SAML 2.0 Web Browser SSO profile's rules (saml-profiles-2.0-os, 4.1.4.2-4.1.4.3), one check
 * per rule in the profile's order, each naming what was expected and what came. They run only on
 * the Response and Assertion elements whose signatures were verified, and the returned values are
 * read from those same elements.
 */
import type { Element } from '@xmldom/xmldom';
import type { ResolvedConfig } from './config.js';
import { NS, attr, children, optionalChild, requiredChild, textOf } from './dom.js';
import { SamlError, show } from './errors.js';
import type { SamlAssertion } from './types.js';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const EMAIL_FORMATS = new Set(['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddress']);
const EMAIL_ATTRIBUTES = ['email', 'mail', 'emailaddress', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'urn:oid:0.9.2342.19200300.100.1.3'];

/** Top-level StatusCode must be Success: an IdP error response is reported with the IdP's words. */
export function checkStatus(response: Element): void {
  const status = requiredChild(response, NS.protocol, 'Status');
  const code = requiredChild(status, NS.protocol, 'StatusCode');
  const value = attr(code, 'Value');
  if (value === SUCCESS) return;
  const second = optionalChild(code, NS.protocol, 'StatusCode');
  const message = optionalChild(status, NS.protocol, 'StatusMessage');
  const detail = [second && attr(second, 'Value'), message && textOf(message).trim()].filter(Boolean).join('; ');
  throw new SamlError(
    'STATUS_NOT_SUCCESS',
    `The IdP answered with status ${show(value)} instead of Success${detail ? ` (${detail})` : ''}.`,
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

export type CheckedAssertion = Omit<SamlAssertion, 'relayState'>;

export function checkResponse(ctx: CheckContext): CheckedAssertion {
  const { config, response, assertion, now } = ctx;
  const skew = config.clockSkewMs;

  checkVersionAndId(response);
  checkVersionAndId(assertion);
  checkDestination(ctx);
  const issuer = checkIssuers(ctx);
  const inResponseTo = checkResponseInResponseTo(ctx);

  // Subject and its bearer confirmation (4.1.4.2).
  const subject = requiredChild(assertion, NS.assertion, 'Subject');
  const confirmation = bearerConfirmation(subject, ctx);

  // Conditions: validity window, then audience.
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
  checkAudience(conditions, config.spEntityId);

  const { nameId, nameIdFormat } = checkNameId(subject, config);

  const authn = children(assertion, NS.assertion, 'AuthnStatement')[0] ?? null;
  const sessionNotOnOrAfter = authn && time(authn, 'SessionNotOnOrAfter');
  if (sessionNotOnOrAfter !== null && now - skew >= sessionNotOnOrAfter.getTime()) {
    throw new SamlError('EXPIRED', `The IdP session ended at ${sessionNotOnOrAfter.toISOString()} (SessionNotOnOrAfter); it is now ${iso(now)}.`, 'Sign in at the IdP again.');
  }

  const attributes = readAttributes(assertion);
  return {
    nameId,
    nameIdFormat,
    email: EMAIL_FORMATS.has(nameIdFormat) ? nameId : emailFromAttributes(attributes),
    sessionIndex: authn ? attr(authn, 'SessionIndex') : null,
    attributes,
    issuer,
    assertionId: attr(assertion, 'ID') as string,
    responseId: attr(response, 'ID') ?? '',
    inResponseTo: attr(confirmation, 'InResponseTo') ?? inResponseTo,
    authnInstant: authn && time(authn, 'AuthnInstant'),
    notOnOrAfter: earliest(notOnOrAfter, time(confirmation, 'NotOnOrAfter')),
    sessionNotOnOrAfter,
  };
}

const clockHint = 'Check the clocks of the SP and the IdP, or raise policy.clockSkewSeconds slightly.';
const acsHint = 'Set the IdP\'s ACS URL (Okta: "Single sign-on URL"; Azure: "Reply URL (Assertion Consumer Service URL)") to exactly sp.acsUrl.';

function checkVersionAndId(element: Element): void {
  const version = attr(element, 'Version');
  if (version !== '2.0') {
    throw new SamlError('INVALID_ASSERTION', `Expected ${element.localName} Version "2.0"; got ${show(version)}.`);
  }
  if (!attr(element, 'ID')) throw new SamlError('INVALID_ASSERTION', `Expected an ID on the ${element.localName}; found none.`);
}

function checkDestination({ response, responseSigned, config }: CheckContext): void {
  const destination = attr(response, 'Destination');
  // Required on a signed Response (saml-bindings 3.5.5.2); when present it must always match.
  if (destination === null && !responseSigned) return;
  if (destination !== config.acsUrl) {
    throw new SamlError('DESTINATION_MISMATCH', `Expected the Response Destination ${show(config.acsUrl)} (sp.acsUrl); got ${show(destination)}.`, acsHint);
  }
}

function checkIssuers({ response, assertion, config }: CheckContext): string {
  const issuerHint = 'Set idp.entityId to the IdP\'s issuer (Okta: "Identity Provider Issuer"; Azure: "Azure AD Identifier").';
  const responseIssuer = optionalChild(response, NS.assertion, 'Issuer');
  const issuerElement = optionalChild(assertion, NS.assertion, 'Issuer');
  if (issuerElement === null) throw new SamlError('INVALID_ASSERTION', 'Expected an Issuer in the Assertion; found none.');
  const issuer = textOf(issuerElement).trim();
  if (config.idpEntityId !== null) {
    if (responseIssuer !== null && textOf(responseIssuer).trim() !== config.idpEntityId) {
      throw new SamlError('ISSUER_MISMATCH', `Expected the Response Issuer ${show(config.idpEntityId)} (idp.entityId); got ${show(textOf(responseIssuer).trim())}.`, issuerHint);
    }
    if (issuer !== config.idpEntityId) {
      throw new SamlError('ISSUER_MISMATCH', `Expected the Assertion Issuer ${show(config.idpEntityId)} (idp.entityId); got ${show(issuer)}.`, issuerHint);
    }
  } else if (responseIssuer !== null && textOf(responseIssuer).trim() !== issuer) {
    throw new SamlError('ISSUER_MISMATCH', `Expected the Response and Assertion Issuers to agree; got ${show(textOf(responseIssuer).trim())} and ${show(issuer)}.`);
  }
  return issuer;
}

function checkResponseInResponseTo({ response, requestIds, config }: CheckContext): string | null {
  const inResponseTo = attr(response, 'InResponseTo');
  if (requestIds === null) {
    if (!config.allowIdpInitiated) {
      throw new SamlError(
        'UNSOLICITED_RESPONSE',
        'IdP-initiated login is disabled (policy.allowIdpInitiated is false) and no pending AuthnRequest ID was given.',
        'Start the login at the SP, or pass the stored AuthnRequest ID as options.requestId.',
      );
    }
    if (inResponseTo !== null) throw unexpectedInResponseTo('Response', inResponseTo);
    return null;
  }
  if (inResponseTo === null || !requestIds.includes(inResponseTo)) throw inResponseToMismatch('Response', requestIds, inResponseTo);
  return inResponseTo;
}

function unexpectedInResponseTo(where: string, got: string): SamlError {
  return new SamlError(
    'IN_RESPONSE_TO_MISMATCH',
    `Expected no InResponseTo on the ${where} (no AuthnRequest is pending: options.requestId is null); got ${show(got)}.`,
    'If the login started at the SP, pass the stored AuthnRequest ID as options.requestId.',
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

function checkAudience(conditions: Element | null, spEntityId: string): void {
  const hint = 'Set the IdP\'s audience (Okta: "Audience URI (SP Entity ID)"; Azure: "Identifier (Entity ID)") to exactly sp.entityId.';
  const restrictions = conditions ? children(conditions, NS.assertion, 'AudienceRestriction') : [];
  if (restrictions.length === 0) {
    throw new SamlError('AUDIENCE_MISMATCH', `Expected an AudienceRestriction naming ${show(spEntityId)} (sp.entityId); the assertion has none.`, hint);
  }
  for (const restriction of restrictions) {
    const audiences = children(restriction, NS.assertion, 'Audience').map((a) => textOf(a).trim());
    if (!audiences.includes(spEntityId)) {
      throw new SamlError('AUDIENCE_MISMATCH', `Expected the audience ${show(spEntityId)} (sp.entityId); got ${audiences.map((a) => show(a)).join(', ') || 'no Audience'}.`, hint);
    }
  }
}

function checkNameId(subject: Element, config: ResolvedConfig): { nameId: string; nameIdFormat: string } {
  if (optionalChild(subject, NS.assertion, 'EncryptedID')) {
    throw new SamlError('ENCRYPTED_ASSERTION_UNSUPPORTED', 'The NameID is encrypted (EncryptedID); saml-core does not decrypt.', 'Turn off NameID encryption at the IdP.');
  }
  const element = optionalChild(subject, NS.assertion, 'NameID');
  const formatHint = 'Set the IdP\'s NameID format (Okta: "Name ID format" = EmailAddress; Azure: "Unique User Identifier" = user.mail with format Email address), or change policy.nameIdFormat.';
  if (element === null) throw new SamlError('NAMEID_INVALID', 'Expected a NameID in the Subject; found none.', formatHint);
  const nameId = textOf(element).trim();
  const nameIdFormat = attr(element, 'Format') ?? UNSPECIFIED;
  if (nameId === '') throw new SamlError('NAMEID_INVALID', 'Expected a non-empty NameID; got an empty one.', formatHint);
  if (config.nameIdFormat !== null && nameIdFormat !== config.nameIdFormat) {
    throw new SamlError('NAMEID_FORMAT_MISMATCH', `Expected NameID format ${show(config.nameIdFormat)}; got ${show(nameIdFormat)}.`, formatHint);
  }
  if (EMAIL_FORMATS.has(nameIdFormat) && !isEmail(nameId)) {
    throw new SamlError('NAMEID_INVALID', `Expected an email address in the NameID (format emailAddress); got ${show(nameId)}.`, 'Map the NameID to the user\'s email (Okta: Application username = Email; Azure: user.mail).');
  }
  return { nameId, nameIdFormat };
}

// RFC 5322 dot-atom local part (Unicode letters allowed, RFC 6531) @ a dotted domain of letters, digits, hyphens.
const EMAIL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value) && (value.split('@')[0] as string).length <= 64;
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
      for (const value of children(attribute, NS.assertion, 'AttributeValue')) values.push(textOf(value));
    }
  }
  return attributes;
}

function emailFromAttributes(attributes: Record<string, string[]>): string | null {
  for (const name of Object.keys(attributes)) {
    if (!EMAIL_ATTRIBUTES.includes(name.toLowerCase())) continue;
    const value = attributes[name]?.find((v) => isEmail(v.trim()));
    if (value !== undefined) return value.trim();
  }
  return null;
}

// xs:dateTime with a time zone; SAML times are UTC ("Z"), an explicit offset is accepted.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function time(element: Element, name: string): Date | null {
  const value = attr(element, name);
  if (value === null) return null;
  const parsed = DATE_TIME.test(value) ? new Date(value) : null;
  if (parsed === null || Number.isNaN(parsed.getTime())) {
    throw new SamlError('INVALID_ASSERTION', `Expected ${element.localName} ${name} to be an xs:dateTime with a time zone; got ${show(value)}.`);
  }
  return parsed;
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
