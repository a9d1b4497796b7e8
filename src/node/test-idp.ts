// Node-only: used by the demo, the vector generator and tests; the core never imports it.
/**
 * A local test IdP. It issues SAML 2.0 Responses shaped exactly like Okta's and Entra ID's (element
 * prefixes, namespace declarations, attribute order, ID formats, claim names), signs them with
 * xml-crypto's SignedXml (an implementation independent of the library's verifier), and encodes
 * them as the browser posts them. Everything it emits is test data: the keys it makes are
 * self-signed and the responses are whatever the caller asks for, including invalid ones.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs a Reflect metadata polyfill
// loaded before it (a devDependency: only this test module makes certificates).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { DOMParser, XMLSerializer, type Document, type Element, type Node as XmlNode } from '@xmldom/xmldom';
import { SignedXml, findAncestorNs, type HashAlgorithm, type SignatureAlgorithm } from 'xml-crypto';

/**
 * xml-crypto computes digests and signatures synchronously, and WebCrypto is asynchronous, so the
 * algorithms xml-crypto lacks (SHA-384, and the weak ones the attack vectors need) use node:crypto.
 * The project compiles with `types: []` so that no Node type can leak into the runtime-neutral core;
 * this Node-only module therefore loads node:crypto at run time behind the few signatures it uses.
 */
interface NodeCrypto {
  createHash(algorithm: string): { update(data: string, encoding: 'utf8'): { digest(encoding: 'base64'): string } };
  createHmac(algorithm: string, key: string): { update(data: string, encoding: 'utf8'): { digest(encoding: 'base64'): string } };
  createSign(algorithm: string): { update(data: string, encoding: 'utf8'): unknown; sign(key: string | { key: string; dsaEncoding: 'ieee-p1363' }, encoding: 'base64'): string };
  createVerify(algorithm: string): { update(data: string, encoding: 'utf8'): unknown; verify(key: string | { key: string; dsaEncoding: 'ieee-p1363' }, signature: string, encoding: 'base64'): boolean };
}
const nodeCrypto = (await import('node:crypto' as string)) as NodeCrypto;

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** XML-DSig algorithm URIs: the ones IdPs use and the ones the attack vectors need. */
export const ALG = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  rsaMd5: 'http://www.w3.org/2001/04/xmldsig-more#rsa-md5',
  hmacSha256: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256',
  dsaSha1: 'http://www.w3.org/2000/09/xmldsig#dsa-sha1',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  md5: 'http://www.w3.org/2001/04/xmldsig-more#md5',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  c14nWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  xslt: 'http://www.w3.org/TR/1999/REC-xslt-19991116',
  xpath: 'http://www.w3.org/TR/1999/REC-xpath-19991116',
} as const;

export const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  entity: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
} as const;

export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  authnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
} as const;

export const CONFIRMATION_METHOD = {
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  holderOfKey: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
} as const;

/** The test SP and the two test IdPs every vector and the demo use. */
export const TEST_SP = {
  entityId: 'https://app.example.com/saml/metadata',
  acsUrl: 'https://app.example.com/saml/acs',
} as const;

export const TEST_IDPS = {
  okta: {
    entityId: 'http://www.okta.com/exk1fxg2ykKOIqGfd5d7',
    ssoUrl: 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml',
  },
  azure: {
    entityId: 'https://sts.windows.net/8f1b4c3e-2d5a-4c6b-9e7f-0a1b2c3d4e5f/',
    ssoUrl: 'https://login.microsoftonline.com/8f1b4c3e-2d5a-4c6b-9e7f-0a1b2c3d4e5f/saml2',
    tenantId: '8f1b4c3e-2d5a-4c6b-9e7f-0a1b2c3d4e5f',
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

export interface CredentialOptions {
  commonName: string;
  /** RSA modulus size; default 2048. */
  bits?: number;
  /** Default 2025-01-01T00:00:00Z. */
  notBefore?: Date;
  /** Default 2036-01-01T00:00:00Z. */
  notAfter?: Date;
}

export interface TestCredentials {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  certificatePem: string;
}

/** An RSA key and a self-signed certificate for it (WebCrypto + @peculiar/x509). */
export async function generateTestCredentials({
  commonName,
  bits = 2048,
  notBefore = new Date('2025-01-01T00:00:00Z'),
  notAfter = new Date('2036-01-01T00:00:00Z'),
}: CredentialOptions): Promise<TestCredentials> {
  const algorithm: RsaHashedKeyGenParams = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: bits,
  };
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const serial = new Uint8Array(16);
  crypto.getRandomValues(serial);
  serial[0] = (serial[0] as number) & 0x7f; // a positive INTEGER
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Array.from(serial, (b) => b.toString(16).padStart(2, '0')).join(''),
      name: [{ CN: [commonName] }],
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    },
    crypto,
  );
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'), certificatePem: certificate.toString('pem') };
}

function toPem(der: Uint8Array, label: string): string {
  const lines = base64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The base64 body of the first CERTIFICATE in a PEM text, without white space. */
function certificateBase64(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error('certificatePem holds no CERTIFICATE');
  return (match[1] as string).replace(/\s+/g, '');
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export type IdpShape = 'okta' | 'azure';

/**
 * What to put in a Response. Only `shape` and `now` are required; every other value has the
 * default that IdP would send for the test SP. `null` omits an optional element or attribute.
 * Times are the exact text written (ISO 8601 strings); defaults are derived from `now`.
 */
export interface ResponseSpec {
  shape: IdpShape;
  /** The instant the IdP issues the response. */
  now: Date;
  responseId?: string;
  assertionId?: string;
  /** Default: the shape's test IdP entity ID. Used for both Issuers unless overridden below. */
  issuer?: string;
  responseIssuer?: string | null;
  assertionIssuer?: string | null;
  /** SP the response is for; defaults TEST_SP.entityId / TEST_SP.acsUrl. */
  spEntityId?: string;
  acsUrl?: string;
  /** Default acsUrl. */
  destination?: string | null;
  /** Response@InResponseTo; default null (IdP-initiated). */
  inResponseTo?: string | null;
  /** SubjectConfirmationData@InResponseTo; default: the same as inResponseTo. */
  subjectConfirmationInResponseTo?: string | null;
  /** Default acsUrl. */
  recipient?: string | null;
  /** Default bearer. */
  subjectConfirmationMethod?: string;
  /** Default [spEntityId]; [] omits the AudienceRestriction. */
  audiences?: string[];
  /** Default jane.doe@example.com; null omits the NameID. */
  nameId?: string | null;
  /** Default emailAddress; null omits the Format attribute. */
  nameIdFormat?: string | null;
  /** Response and Assertion IssueInstant; default now. */
  issueInstant?: string;
  /** Conditions; defaults now-5min and now+5min (Okta) or now+55min (Entra ID). */
  notBefore?: string | null;
  notOnOrAfter?: string | null;
  /** SubjectConfirmationData@NotOnOrAfter; default now+5min. */
  subjectConfirmationNotOnOrAfter?: string | null;
  /** Default now. */
  authnInstant?: string;
  /** Default: Okta the request ID (or the assertion ID when IdP-initiated); Entra ID the assertion ID. */
  sessionIndex?: string | null;
  /** Default null (not sent, as both IdPs do by default). */
  sessionNotOnOrAfter?: string | null;
  /** Default: the shape's usual claims for Jane Doe; {} omits the AttributeStatement. */
  attributes?: Record<string, string[]>;
  /** Default Success. */
  statusCode?: string;
  subStatusCode?: string | null;
  statusMessage?: string | null;
  /** Response and Assertion Version; default 2.0. */
  version?: string;
  /** Default: PasswordProtectedTransport (Okta), Password (Entra ID). */
  authnContextClassRef?: string;
  /** Default: true when the status is Success (IdPs send no Assertion with an error status). */
  includeAssertion?: boolean;
}

/**
 * A tiny XML builder: every text and attribute value is escaped when rendered, so no value is ever
 * concatenated into markup. Attributes render in insertion order; null/undefined ones are left out.
 */
export type XmlAttrs = Record<string, string | null | undefined>;
export interface XmlElement {
  name: string;
  attrs: XmlAttrs;
  children: XmlChild[];
}
/** A child: an element, a text (escaped when rendered), or nothing (null/false, for conditionals). */
export type XmlChild = XmlElement | string | null | false;

export function el(name: string, attrs: XmlAttrs = {}, ...children: XmlChild[]): XmlElement {
  return { name, attrs, children };
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export function renderXml(node: XmlElement): string {
  let attrs = '';
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value !== null && value !== undefined) attrs += ` ${name}="${escapeAttribute(value)}"`;
  }
  const inner = node.children.map((c) => (c === null || c === false ? '' : typeof c === 'string' ? escapeText(c) : renderXml(c))).join('');
  return inner === '' ? `<${node.name}${attrs}/>` : `<${node.name}${attrs}>${inner}</${node.name}>`;
}

/** All values of a spec after defaults. */
interface ResolvedSpec {
  responseId: string;
  assertionId: string;
  responseIssuer: string | null;
  assertionIssuer: string | null;
  destination: string | null;
  inResponseTo: string | null;
  subjectConfirmationInResponseTo: string | null;
  recipient: string | null;
  subjectConfirmationMethod: string;
  audiences: string[];
  nameId: string | null;
  nameIdFormat: string | null;
  issueInstant: string;
  notBefore: string | null;
  notOnOrAfter: string | null;
  subjectConfirmationNotOnOrAfter: string | null;
  authnInstant: string;
  sessionIndex: string | null;
  sessionNotOnOrAfter: string | null;
  attributes: Record<string, string[]>;
  statusCode: string;
  subStatusCode: string | null;
  statusMessage: string | null;
  version: string;
  authnContextClassRef: string;
  includeAssertion: boolean;
}

/** How each IdP writes the same Response: names, namespace declarations and attribute order. */
interface Dialect {
  xmlDeclaration: boolean;
  /** Prefixes with the colon: protocol, assertion. */
  p: string;
  a: string;
  newId(): string;
  issuer: string;
  attributes: Record<string, string[]>;
  conditionsLifetimeMinutes: number;
  authnContextClassRef: string;
  defaultSessionIndex(r: { inResponseTo: string | null; assertionId: string }): string;
  responseAttrs(r: ResolvedSpec): XmlAttrs;
  responseIssuerAttrs: XmlAttrs;
  statusAttrs: XmlAttrs;
  assertionAttrs(r: ResolvedSpec): XmlAttrs;
  assertionIssuerAttrs: XmlAttrs;
  /** Okta redeclares xmlns:saml2 on every child of the Assertion. */
  statementAttrs: XmlAttrs;
  attributeAttrs(name: string): XmlAttrs;
  attributeValueAttrs: XmlAttrs;
  attributeStatementBeforeAuthn: boolean;
}

const OKTA: Dialect = {
  xmlDeclaration: true,
  p: 'saml2p:',
  a: 'saml2:',
  newId: () => `id${randomDigits(26)}`,
  issuer: TEST_IDPS.okta.entityId,
  attributes: { firstName: ['Jane'], lastName: ['Doe'], email: ['jane.doe@example.com'] },
  conditionsLifetimeMinutes: 5,
  authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  defaultSessionIndex: ({ inResponseTo, assertionId }) => inResponseTo ?? assertionId,
  responseAttrs: (r) => ({
    'xmlns:saml2p': NS.protocol,
    Destination: r.destination,
    ID: r.responseId,
    InResponseTo: r.inResponseTo,
    IssueInstant: r.issueInstant,
    Version: r.version,
    'xmlns:xs': NS.xs,
  }),
  responseIssuerAttrs: { 'xmlns:saml2': NS.assertion, Format: NAMEID_FORMAT.entity },
  statusAttrs: { 'xmlns:saml2p': NS.protocol },
  assertionAttrs: (r) => ({ 'xmlns:saml2': NS.assertion, ID: r.assertionId, IssueInstant: r.issueInstant, Version: r.version, 'xmlns:xs': NS.xs }),
  assertionIssuerAttrs: { Format: NAMEID_FORMAT.entity, 'xmlns:saml2': NS.assertion },
  statementAttrs: { 'xmlns:saml2': NS.assertion },
  attributeAttrs: (name) => ({ Name: name, NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified' }),
  attributeValueAttrs: { 'xmlns:xs': NS.xs, 'xmlns:xsi': NS.xsi, 'xsi:type': 'xs:string' },
  attributeStatementBeforeAuthn: false,
};

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const MS_CLAIMS = 'http://schemas.microsoft.com/identity/claims';
/** The two claim-URI namespaces Entra ID names its attributes in. */
export const CLAIM_NAMESPACES = { xmlsoap: CLAIMS, microsoft: MS_CLAIMS } as const;

const AZURE: Dialect = {
  xmlDeclaration: false,
  p: 'samlp:',
  a: '',
  newId: () => `_${crypto.randomUUID()}`,
  issuer: TEST_IDPS.azure.entityId,
  attributes: {
    [`${MS_CLAIMS}/tenantid`]: [TEST_IDPS.azure.tenantId],
    [`${MS_CLAIMS}/objectidentifier`]: ['5b1f3c2a-7d4e-4a9b-8c6d-2e1f0a9b8c7d'],
    [`${MS_CLAIMS}/displayname`]: ['Jane Doe'],
    [`${MS_CLAIMS}/identityprovider`]: [TEST_IDPS.azure.entityId],
    'http://schemas.microsoft.com/claims/authnmethodsreferences': ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'],
    [`${CLAIMS}/givenname`]: ['Jane'],
    [`${CLAIMS}/surname`]: ['Doe'],
    [`${CLAIMS}/emailaddress`]: ['jane.doe@example.com'],
    [`${CLAIMS}/name`]: ['jane.doe@example.com'],
  },
  conditionsLifetimeMinutes: 55,
  authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
  defaultSessionIndex: ({ assertionId }) => assertionId,
  responseAttrs: (r) => ({
    ID: r.responseId,
    Version: r.version,
    IssueInstant: r.issueInstant,
    Destination: r.destination,
    InResponseTo: r.inResponseTo,
    'xmlns:samlp': NS.protocol,
  }),
  responseIssuerAttrs: { xmlns: NS.assertion },
  statusAttrs: {},
  assertionAttrs: (r) => ({ ID: r.assertionId, IssueInstant: r.issueInstant, Version: r.version, xmlns: NS.assertion }),
  assertionIssuerAttrs: {},
  statementAttrs: {},
  attributeAttrs: (name) => ({ Name: name }),
  attributeValueAttrs: {},
  attributeStatementBeforeAuthn: true,
};

const DIALECTS: Record<IdpShape, Dialect> = { okta: OKTA, azure: AZURE };

/** The claims each shape sends for Jane Doe when a spec names none. */
export const DEFAULT_ATTRIBUTES: Readonly<Record<IdpShape, Readonly<Record<string, string[]>>>> = { okta: OKTA.attributes, azure: AZURE.attributes };

function randomDigits(count: number): string {
  const bytes = new Uint8Array(count);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b, i) => String(i === 0 ? 1 + (b % 9) : b % 10)).join('');
}

function plusMinutes(date: Date, minutes: number): string {
  return new Date(date.getTime() + minutes * 60_000).toISOString();
}

function resolveSpec(spec: ResponseSpec, d: Dialect): ResolvedSpec {
  const acsUrl = spec.acsUrl ?? TEST_SP.acsUrl;
  const issuer = spec.issuer ?? d.issuer;
  const assertionId = spec.assertionId ?? d.newId();
  const inResponseTo = spec.inResponseTo ?? null;
  const statusCode = spec.statusCode ?? STATUS.success;
  return {
    responseId: spec.responseId ?? d.newId(),
    assertionId,
    responseIssuer: spec.responseIssuer === undefined ? issuer : spec.responseIssuer,
    assertionIssuer: spec.assertionIssuer === undefined ? issuer : spec.assertionIssuer,
    destination: spec.destination === undefined ? acsUrl : spec.destination,
    inResponseTo,
    subjectConfirmationInResponseTo: spec.subjectConfirmationInResponseTo === undefined ? inResponseTo : spec.subjectConfirmationInResponseTo,
    recipient: spec.recipient === undefined ? acsUrl : spec.recipient,
    subjectConfirmationMethod: spec.subjectConfirmationMethod ?? CONFIRMATION_METHOD.bearer,
    audiences: spec.audiences ?? [spec.spEntityId ?? TEST_SP.entityId],
    nameId: spec.nameId === undefined ? 'jane.doe@example.com' : spec.nameId,
    nameIdFormat: spec.nameIdFormat === undefined ? NAMEID_FORMAT.emailAddress : spec.nameIdFormat,
    issueInstant: spec.issueInstant ?? spec.now.toISOString(),
    notBefore: spec.notBefore === undefined ? plusMinutes(spec.now, -5) : spec.notBefore,
    notOnOrAfter: spec.notOnOrAfter === undefined ? plusMinutes(spec.now, d.conditionsLifetimeMinutes) : spec.notOnOrAfter,
    subjectConfirmationNotOnOrAfter: spec.subjectConfirmationNotOnOrAfter === undefined ? plusMinutes(spec.now, 5) : spec.subjectConfirmationNotOnOrAfter,
    authnInstant: spec.authnInstant ?? spec.now.toISOString(),
    sessionIndex: spec.sessionIndex === undefined ? d.defaultSessionIndex({ inResponseTo, assertionId }) : spec.sessionIndex,
    sessionNotOnOrAfter: spec.sessionNotOnOrAfter ?? null,
    attributes: spec.attributes ?? d.attributes,
    statusCode,
    subStatusCode: spec.subStatusCode ?? null,
    statusMessage: spec.statusMessage ?? null,
    version: spec.version ?? '2.0',
    authnContextClassRef: spec.authnContextClassRef ?? d.authnContextClassRef,
    includeAssertion: spec.includeAssertion ?? statusCode === STATUS.success,
  };
}

/** An unsigned SAML 2.0 Response, as the chosen IdP writes it. */
export function buildResponse(spec: ResponseSpec): string {
  const d = DIALECTS[spec.shape];
  const r = resolveSpec(spec, d);
  const { p, a } = d;

  const status = el(
    `${p}Status`,
    d.statusAttrs,
    el(`${p}StatusCode`, { Value: r.statusCode }, r.subStatusCode !== null && el(`${p}StatusCode`, { Value: r.subStatusCode })),
    r.statusMessage !== null && el(`${p}StatusMessage`, {}, r.statusMessage),
  );

  const subject = el(
    `${a}Subject`,
    d.statementAttrs,
    r.nameId !== null && el(`${a}NameID`, { Format: r.nameIdFormat }, r.nameId),
    el(
      `${a}SubjectConfirmation`,
      { Method: r.subjectConfirmationMethod },
      el(`${a}SubjectConfirmationData`, {
        InResponseTo: r.subjectConfirmationInResponseTo,
        NotOnOrAfter: r.subjectConfirmationNotOnOrAfter,
        Recipient: r.recipient,
      }),
    ),
  );
  const conditions = el(
    `${a}Conditions`,
    { NotBefore: r.notBefore, NotOnOrAfter: r.notOnOrAfter, ...d.statementAttrs },
    r.audiences.length > 0 && el(`${a}AudienceRestriction`, {}, ...r.audiences.map((audience) => el(`${a}Audience`, {}, audience))),
  );
  const authn = el(
    `${a}AuthnStatement`,
    { AuthnInstant: r.authnInstant, SessionIndex: r.sessionIndex, SessionNotOnOrAfter: r.sessionNotOnOrAfter, ...d.statementAttrs },
    el(`${a}AuthnContext`, {}, el(`${a}AuthnContextClassRef`, {}, r.authnContextClassRef)),
  );
  const names = Object.keys(r.attributes);
  const attributes =
    names.length > 0 &&
    el(
      `${a}AttributeStatement`,
      d.statementAttrs,
      ...names.map((name) => el(`${a}Attribute`, d.attributeAttrs(name), ...(r.attributes[name] ?? []).map((v) => el(`${a}AttributeValue`, d.attributeValueAttrs, v)))),
    );
  const statements = d.attributeStatementBeforeAuthn ? [attributes, authn] : [authn, attributes];

  const assertion = el(
    `${a}Assertion`,
    d.assertionAttrs(r),
    r.assertionIssuer !== null && el(`${a}Issuer`, d.assertionIssuerAttrs, r.assertionIssuer),
    subject,
    conditions,
    ...statements,
  );
  const response = el(
    `${p}Response`,
    d.responseAttrs(r),
    r.responseIssuer !== null && el(`${a}Issuer`, d.responseIssuerAttrs, r.responseIssuer),
    status,
    r.includeAssertion && assertion,
  );
  return (d.xmlDeclaration ? '<?xml version="1.0" encoding="UTF-8"?>' : '') + renderXml(response);
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

type HashClass = new () => HashAlgorithm;
type SignatureClass = new () => SignatureAlgorithm;

function hashClass(uri: string, nodeName: string): HashClass {
  return class {
    getAlgorithmName(): string {
      return uri;
    }
    getHash(xml: string): string {
      return nodeCrypto.createHash(nodeName).update(xml, 'utf8').digest('base64');
    }
  };
}

/** A public-key signature algorithm over node:crypto; `dsa` selects the r||s encoding XML-DSig wants. */
function publicKeySignatureClass(uri: string, nodeName: string, dsa = false): SignatureClass {
  const key = (pem: string) => (dsa ? { key: pem, dsaEncoding: 'ieee-p1363' as const } : pem);
  return class {
    getAlgorithmName(): string {
      return uri;
    }
    getSignature(signedInfo: string, privateKey: string): string {
      const signer = nodeCrypto.createSign(nodeName);
      signer.update(String(signedInfo), 'utf8');
      return signer.sign(key(String(privateKey)), 'base64');
    }
    verifySignature(material: string, publicKey: string, signatureValue: string): boolean {
      const verifier = nodeCrypto.createVerify(nodeName);
      verifier.update(material, 'utf8');
      return verifier.verify(key(String(publicKey)), signatureValue, 'base64');
    }
  };
}

/** HMAC-SHA256 keyed with whatever "private key" text it is given (the key-confusion attack uses a certificate). */
class HmacSha256 {
  getAlgorithmName(): string {
    return ALG.hmacSha256;
  }
  getSignature(signedInfo: string, key: string): string {
    return nodeCrypto.createHmac('sha256', String(key)).update(String(signedInfo), 'utf8').digest('base64');
  }
  verifySignature(material: string, key: string, signatureValue: string): boolean {
    return this.getSignature(material, key) === signatureValue;
  }
}

/** Algorithms xml-crypto does not ship, registered on every SignedXml this module makes. */
const EXTRA_HASHES: Record<string, HashClass> = {
  [ALG.sha384]: hashClass(ALG.sha384, 'sha384'),
  [ALG.md5]: hashClass(ALG.md5, 'md5'),
};
const EXTRA_SIGNATURES: Record<string, SignatureClass> = {
  [ALG.rsaSha384]: publicKeySignatureClass(ALG.rsaSha384, 'RSA-SHA384'),
  [ALG.rsaMd5]: publicKeySignatureClass(ALG.rsaMd5, 'RSA-MD5'),
  [ALG.dsaSha1]: publicKeySignatureClass(ALG.dsaSha1, 'SHA1', true),
  [ALG.hmacSha256]: HmacSha256,
};

function signedXml(options: ConstructorParameters<typeof SignedXml>[0]): SignedXml {
  const sig = new SignedXml(options);
  Object.assign(sig.HashAlgorithms, EXTRA_HASHES);
  Object.assign(sig.SignatureAlgorithms, EXTRA_SIGNATURES);
  return sig;
}

/** How the IdP writes a Signature element. */
export type SignatureStyle = IdpShape;

export interface SignatureOptions {
  /** PEM private key (for HMAC: the secret text). */
  privateKeyPem: string;
  /** Published in KeyInfo/X509Data; null or absent: no KeyInfo. */
  certificatePem?: string | null;
  /** Default RSA-SHA256. */
  signatureAlgorithm?: string;
  /** Default SHA-256. */
  digestAlgorithm?: string;
  /** SignedInfo canonicalization and the Reference's second transform; default exclusive C14N. */
  canonicalization?: string;
  /** InclusiveNamespaces PrefixList on an exclusive C14N transform; default ['xs'] for Okta, none for Entra ID. */
  inclusiveNamespacesPrefixList?: string[];
  /**
   * 'okta': `ds:`-prefixed Signature, certificate base64 in 76-column lines;
   * 'azure': `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">`, certificate on one line.
   * Default: 'okta' when the root element uses the saml2p prefix, otherwise 'azure'.
   */
  style?: SignatureStyle;
}

export interface SignElementOptions extends SignatureOptions {
  /** The ID of the element to sign; the Reference URI is `#` + this. */
  id: string;
  /** The attribute holding it; default ID (SAML 1.1 uses ResponseID / AssertionID). */
  idAttribute?: string;
  /** Where the Signature goes; default right after the element's Issuer child (else its first child). */
  location?: { reference: string; action: 'append' | 'prepend' | 'before' | 'after' };
  /** IDs of further elements to reference from the same SignedInfo (no IdP does this; attack vectors do). */
  alsoReference?: string[];
  /** The Reference's canonicalization transform when it differs from SignedInfo's. */
  referenceCanonicalization?: string;
  /** Sign the document's root with Reference URI="" (federation metadata does); `id` is then ignored. */
  wholeDocument?: boolean;
}

const parser = () =>
  new DOMParser({
    // XML 1.0 line ends only, as the library parses (src/xml/parse.ts) and as libxml2 does.
    normalizeLineEndings: (text: string) => text.replace(/\r\n?/g, '\n'),
    onError(level, message) {
      throw new Error(`test-idp could not parse its own XML (${level}): ${message}`);
    },
  });

export function parseXml(xml: string): Document {
  return parser().parseFromString(xml, 'text/xml');
}

export function serializeXml(node: Document | XmlNode): string {
  return new XMLSerializer().serializeToString(node);
}

/** An XPath string literal for an ID (IDs here never hold both quote kinds). */
function xpathLiteral(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new Error(`an ID with both quote characters cannot be addressed: ${value}`);
}

/** XPath selecting the element whose `attribute` is `id`. */
export function byIdXPath(id: string, attribute = 'ID'): string {
  return `//*[@${attribute}=${xpathLiteral(id)}]`;
}

/**
 * Sign one element with an enveloped signature, as an IdP does: Reference `#ID`, transforms
 * enveloped-signature + the canonicalization, KeyInfo with the certificate.
 */
export function signElement(xml: string, options: SignElementOptions): string {
  const doc = parseXml(xml);
  const element = options.wholeDocument ? doc.documentElement : findById(doc, options.id, options.idAttribute);
  if (element === null) throw new Error(`no element with ${options.idAttribute ?? 'ID'}="${options.id}" to sign`);
  const style = options.style ?? (doc.documentElement?.prefix === 'saml2p' ? 'okta' : 'azure');
  const canonicalization = options.canonicalization ?? ALG.excC14n;
  const exclusive = canonicalization === ALG.excC14n || canonicalization === ALG.excC14nWithComments;
  const prefixList = exclusive ? (options.inclusiveNamespacesPrefixList ?? (style === 'okta' ? ['xs'] : [])) : [];
  const target = byIdXPath(options.id, options.idAttribute);
  const certificate = options.certificatePem ? certificateBase64(options.certificatePem) : null;

  const sig = signedXml({
    privateKey: options.privateKeyPem,
    idAttribute: options.idAttribute ?? 'ID',
    signatureAlgorithm: options.signatureAlgorithm ?? ALG.rsaSha256,
    canonicalizationAlgorithm: canonicalization,
    getKeyInfoContent: (args) => {
      if (certificate === null) return null;
      const ds = args?.prefix ? `${args.prefix}:` : '';
      const text = style === 'okta' ? (certificate.match(/.{1,76}/g) ?? []).join('\n') : certificate;
      return `<${ds}X509Data><${ds}X509Certificate>${text}</${ds}X509Certificate></${ds}X509Data>`;
    },
  });
  if (options.wholeDocument) {
    sig.addReference({ xpath: '/*', isEmptyUri: true, transforms: [ALG.envelopedSignature, options.referenceCanonicalization ?? canonicalization], digestAlgorithm: options.digestAlgorithm ?? ALG.sha256, inclusiveNamespacesPrefixList: prefixList });
  }
  for (const id of options.wholeDocument ? [] : [options.id, ...(options.alsoReference ?? [])]) {
    sig.addReference({
      xpath: byIdXPath(id, options.idAttribute),
      transforms: [ALG.envelopedSignature, canonicalization],
      digestAlgorithm: options.digestAlgorithm ?? ALG.sha256,
      inclusiveNamespacesPrefixList: prefixList,
    });
  }
  const hasIssuer = childElements(element).some((c) => c.localName === 'Issuer');
  const location = options.location ?? (hasIssuer ? { reference: `${target}/*[local-name()='Issuer']`, action: 'after' as const } : { reference: target, action: 'prepend' as const });
  sig.computeSignature(xml, { ...(style === 'okta' ? { prefix: 'ds' } : {}), location });
  const signed = sig.getSignedXml();
  if (prefixList.length === 0) return signed;
  return placeInclusiveNamespaces(signed, sig.getSignatureXml(), prefixList, options.privateKeyPem);
}

/**
 * xml-crypto writes the reference's InclusiveNamespaces into every transform, enveloped-signature
 * included, in the default namespace. IdPs (Okta) put one `ec:InclusiveNamespaces` in the exclusive
 * C14N transform only, so rewrite it so and sign the rewritten SignedInfo again. The digest is
 * xml-crypto's: it was computed with the same prefix list.
 */
function placeInclusiveNamespaces(xml: string, signatureXml: string, prefixList: string[], privateKeyPem: string): string {
  const doc = parseXml(xml);
  const value = textOf(firstChild(parseXml(signatureXml).documentElement as Element, 'SignatureValue'));
  const signature = allElements(doc).find((e) => isDs(e, 'Signature') && textOf(firstChild(e, 'SignatureValue')) === value);
  if (signature === undefined) throw new Error('the new Signature was not found');
  for (const transform of allElements(signature).filter((e) => isDs(e, 'Transform'))) {
    for (const child of childElements(transform)) transform.removeChild(child);
    const algorithm = transform.getAttribute('Algorithm');
    if (algorithm === ALG.excC14n || algorithm === ALG.excC14nWithComments) {
      const inclusive = doc.createElementNS(NS.excC14n, 'ec:InclusiveNamespaces');
      inclusive.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:ec', NS.excC14n);
      inclusive.setAttribute('PrefixList', prefixList.join(' '));
      transform.appendChild(inclusive);
    }
  }
  signSignedInfo(doc, signature, { privateKeyPem });
  return serializeXml(doc);
}

export interface SignResponseOptions extends SignatureOptions {
  /** Default true. */
  signAssertion?: boolean;
  /** Default true. */
  signResponse?: boolean;
}

/**
 * Sign a SAML 2.0 Response the way IdPs do: the Assertion first (Signature right after its
 * Issuer), then the Response (Signature right after the Response's Issuer), so the Response
 * signature covers the signed Assertion.
 */
export function signResponse(xml: string, options: SignResponseOptions): string {
  const { signAssertion = true, signResponse: signTheResponse = true, ...signature } = options;
  let out = xml;
  if (signAssertion) {
    const id = findAssertion(parseXml(out))?.getAttribute('ID');
    if (!id) throw new Error('signAssertion: the Response has no Assertion child with an ID');
    out = signElement(out, { ...signature, id });
  }
  if (signTheResponse) {
    const id = parseXml(out).documentElement?.getAttribute('ID');
    if (!id) throw new Error('signResponse: the root element has no ID');
    out = signElement(out, { ...signature, id });
  }
  return out;
}

export interface ResignOptions {
  /** PEM private key (for HMAC: the secret text). */
  privateKeyPem: string;
  /**
   * The algorithm that computes the new SignatureValue; default: the one SignedInfo names. Set it
   * when SignedInfo names an algorithm no signer implements (the unknown-algorithm vector).
   */
  computeWith?: string;
}

/**
 * Change a signed document's SignedInfo and sign it again, so that the SignatureValue is genuine
 * for the changed SignedInfo: the way to build "the IdP key signed this, but with a forbidden
 * algorithm or transform" vectors. `parentId` names the element whose direct child the Signature is.
 */
export function resignSignature(xml: string, parentId: string, mutate: (signedInfo: Element, document: Document) => void, options: ResignOptions): string {
  const doc = parseXml(xml);
  const parent = findById(doc, parentId);
  const signature = parent && childElements(parent).find((e) => isDs(e, 'Signature'));
  if (!signature) throw new Error(`no Signature in the element with ID="${parentId}"`);
  mutate(firstChild(signature, 'SignedInfo'), doc);
  signSignedInfo(doc, signature, options);
  return serializeXml(doc);
}

/** Canonicalize SignedInfo in its place (xml-crypto's canonicalizers) and write a new SignatureValue. */
function signSignedInfo(doc: Document, signature: Element, { privateKeyPem, computeWith }: ResignOptions): void {
  const signedInfo = firstChild(signature, 'SignedInfo');
  const c14n = firstChild(signedInfo, 'CanonicalizationMethod').getAttribute('Algorithm') ?? ALG.excC14n;
  const method = computeWith ?? firstChild(signedInfo, 'SignatureMethod').getAttribute('Algorithm') ?? ALG.rsaSha256;
  // findAncestorNs takes an XPath; mark this SignedInfo so the XPath selects it and no other.
  const marker = 'test-idp-resign';
  signedInfo.setAttribute(marker, '1');
  const ancestorNamespaces = findAncestorNs(doc as unknown as globalThis.Document, `//*[@${marker}]`);
  signedInfo.removeAttribute(marker);
  const sig = signedXml({});
  const canonical = sig.getCanonXml([c14n], signedInfo as unknown as globalThis.Node, { ancestorNamespaces });
  const Algorithm = sig.SignatureAlgorithms[method];
  if (Algorithm === undefined) throw new Error(`no signer for ${method}`);
  const value = new Algorithm().getSignature(canonical, privateKeyPem);
  const signatureValue = firstChild(signature, 'SignatureValue');
  while (signatureValue.firstChild) signatureValue.removeChild(signatureValue.firstChild);
  signatureValue.appendChild(doc.createTextNode(String(value)));
}

// ---------------------------------------------------------------------------------------------
// DOM helpers (for the signer; also handy to the vector generator)
// ---------------------------------------------------------------------------------------------

export function childElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** Every element of the document (or subtree), in document order. */
export function allElements(root: Document | Element): Element[] {
  const out: Element[] = [];
  const walk = (node: Document | Element) => {
    for (let n = node.firstChild; n !== null; n = n.nextSibling) {
      if (n.nodeType === 1) {
        out.push(n as Element);
        walk(n as Element);
      }
    }
  };
  walk(root);
  return out;
}

export function findById(root: Document | Element, id: string, attribute = 'ID'): Element | null {
  return allElements(root).find((e) => e.getAttribute(attribute) === id) ?? null;
}

/** The Response's Assertion child (SAML 2.0), or null. */
export function findAssertion(doc: Document): Element | null {
  const root = doc.documentElement;
  return root ? (childElements(root).find((e) => e.localName === 'Assertion' && e.namespaceURI === NS.assertion) ?? null) : null;
}

function isDs(element: Element, localName: string): boolean {
  return element.localName === localName && element.namespaceURI === NS.dsig;
}

function firstChild(parent: Element, localName: string): Element {
  const child = childElements(parent).find((e) => isDs(e, localName));
  if (child === undefined) throw new Error(`no ds:${localName} in ${parent.nodeName}`);
  return child;
}

function textOf(element: Element): string {
  return element.textContent ?? '';
}

// ---------------------------------------------------------------------------------------------
// HTTP-POST binding
// ---------------------------------------------------------------------------------------------

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** An application/x-www-form-urlencoded body from form field values, as a browser encodes it. */
export function formBody(fields: { SAMLResponse: string; RelayState?: string | null }): string {
  const params = new URLSearchParams({ SAMLResponse: fields.SAMLResponse });
  if (fields.RelayState !== undefined && fields.RelayState !== null) params.set('RelayState', fields.RelayState);
  return params.toString();
}

/**
 * The body the browser POSTs to the ACS URL: SAMLResponse is the base64 of the XML's UTF-8 bytes
 * (or of the given bytes, for vectors that need another encoding), then RelayState if any.
 */
export function toPostBody(xml: string | Uint8Array, relayState?: string | null): string {
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml;
  return formBody({ SAMLResponse: base64(bytes), RelayState: relayState ?? null });
}
