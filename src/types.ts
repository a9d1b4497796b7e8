/** Public types of saml-core. */
import type { SamlError, SamlErrorCode } from './errors.js';

export interface SamlConfig {
  sp: {
    entityId: string;
    acsUrl: string;
    /**
     * The SP's RSA private key(s), PEM (PKCS#8 or PKCS#1), to decrypt an EncryptedAssertion; several
     * during a key rollover, each tried. Without it an EncryptedAssertion is rejected. See docs/encryption.md.
     */
    decryptionKeys?: string | string[];
    /** The certificate of the SP's encryption key (PEM), which the IdP encrypts to. */
    encryptionCertificate?: string;
  };
  idp: {
    entityId?: string;
    ssoUrl?: string;
    /** PEM certificate(s) of the IdP; several during a key rollover. */
    certificates: string | string[];
  };
  policy?: SamlPolicy;
  /** Default: one in-memory store shared by the process. */
  replayStore?: ReplayStore;
}

export interface SamlPolicy {
  /** Default true. */
  requireSignedResponse?: boolean;
  /** Default true. */
  requireSignedAssertion?: boolean;
  /** Default urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress; 'any' disables the check. */
  nameIdFormat?: string;
  /** Default true. */
  allowIdpInitiated?: boolean;
  /** Default 60. */
  clockSkewSeconds?: number;
  /** Default 1 MiB; checked before any decoding. */
  maxBodyBytes?: number;
  /** Default false: RSA-SHA1 signatures and SHA-1 digests are rejected. */
  allowSha1?: boolean;
  /** Default 2048. */
  minRsaKeyBits?: number;
  /**
   * Structural limits of the XML, enforced while parsing, before any signature work (a hostile
   * document costs bounded, linear time). Each key defaults to a safe value; see README.
   */
  xmlLimits?: Partial<XmlLimits>;
  /**
   * Default 80, the HTTP-POST binding's limit (saml-bindings 3.5.3), in UTF-8 bytes. RelayState is
   * attacker-controlled: never redirect to it without checking it (see README).
   */
  maxRelayStateBytes?: number;
  /** Default 5000: a replay store that has not answered by then refuses the login (REPLAY_STORE_FAILED). */
  replayStoreTimeoutMs?: number;
  /**
   * Default false: SAML uses the certificate as a key carrier, and IdPs keep signing with expired
   * ones, so an expired IdP certificate still verifies (checkConfig warns). true: only
   * certificates valid at the validation instant are used.
   */
  rejectExpiredCertificates?: boolean;
  /**
   * Default false. RSA PKCS#1 v1.5 key transport (xmlenc#rsa-1_5) is always refused (Bleichenbacher
   * and Marvin attacks; no runtime offers a safe decryption): true is a configuration error. See docs/encryption.md.
   */
  allowRsa15KeyTransport?: boolean;
  /** Default false: an EncryptedAssertion encrypted with xmlenc#tripledes-cbc is refused (AES only). */
  allowTripleDes?: boolean;
}

/** Structural limits of an XML document; exceeding one is INVALID_XML naming the limit and the value. */
export interface XmlLimits {
  /** Element nesting depth (the root is depth 1). */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Attributes on one element, namespace declarations not counted. */
  maxAttributesPerElement: number;
  /** Namespace declarations (xmlns, xmlns:p) on one element. */
  maxNamespaceDeclarationsPerElement: number;
  /** Namespace declarations in the whole document. */
  maxNamespaceDeclarations: number;
  /** Comments in the whole document (each is a DOM node: 7 bytes of markup cost as much as an element). */
  maxComments: number;
}

/**
 * true = first time seen; false = already seen. Must be atomic. Anything else, a rejection or no
 * answer within policy.replayStoreTimeoutMs refuses the login (REPLAY_STORE_FAILED).
 */
export interface ReplayStore {
  remember(key: string, expiresAt: Date): Promise<boolean>;
}

/** The ACS POST body: the urlencoded text or its raw bytes (a Node Buffer is a Uint8Array), or the parsed form. */
export type ResponseBody = string | Uint8Array | URLSearchParams | Record<string, string | undefined>;

export interface ValidateOptions {
  /** The instant to judge times at; default: the current time. */
  now?: Date;
  /**
   * The ID(s) of the AuthnRequest(s) this session is waiting for (SP-initiated login).
   * null or omitted: IdP-initiated rules (no InResponseTo; policy.allowIdpInitiated must be true).
   */
  requestId?: string | string[] | null;
}

/** The user as the common IdPs describe them (docs/profile.md); null where absent. */
export interface SamlProfile {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  /** Every value of every group attribute, in order, without repeats. */
  groups: string[];
}

export interface SamlAssertion {
  nameId: string;
  nameIdFormat: string;
  email: string | null;
  sessionIndex: string | null;
  attributes: Record<string, string[]>;
  issuer: string;
  assertionId: string;
  responseId: string;
  inResponseTo: string | null;
  relayState: string | null;
  authnInstant: Date | null;
  notOnOrAfter: Date | null;
  sessionNotOnOrAfter: Date | null;
  profile: SamlProfile;
}

export interface AuthnRequestOptions {
  binding?: 'redirect' | 'post';
  relayState?: string;
  forceAuthn?: boolean;
  now?: Date;
}

/** Options for the HTTP-Redirect binding (the default): the result has a `redirectUrl`. */
export type RedirectAuthnRequestOptions = AuthnRequestOptions & { binding?: 'redirect' };
/** Options for the HTTP-POST binding: the result has a `form`. */
export type PostAuthnRequestOptions = AuthnRequestOptions & { binding: 'post' };

/** createAuthnRequest's result for the HTTP-Redirect binding. */
export interface RedirectAuthnRequestResult {
  id: string;
  xml: string;
  /** idp.ssoUrl with SAMLRequest (and RelayState) added: send the browser there. */
  redirectUrl: string;
  form?: undefined;
}

/** createAuthnRequest's result for the HTTP-POST binding. */
export interface PostAuthnRequestResult {
  id: string;
  xml: string;
  redirectUrl?: undefined;
  /** A self-submitting page posting `fields` to `action` (idp.ssoUrl); or render the form yourself. */
  form: { action: string; fields: Record<string, string>; html: string };
}

/** Either result; `redirectUrl !== undefined` (or `form !== undefined`) tells which. */
export type AuthnRequestResult = RedirectAuthnRequestResult | PostAuthnRequestResult;

/** Options of parseIdpMetadata. */
export interface ParseIdpMetadataOptions {
  /** The IdP to read; required when the document (an EntitiesDescriptor) holds several IdP entities. */
  entityId?: string;
  /** validUntil is judged at this instant. Default: now. */
  now?: Date;
  /**
   * PEM (or any form normalizeCertificate takes): when given, the document's own signature (on its
   * root) is required and verified with these certificates only.
   */
  signingCertificates?: string | string[];
  /** Accept RSA-SHA1 / SHA-1 metadata signatures (federation aggregates). Default false. */
  allowSha1?: boolean;
  /** Default 10 MiB (UTF-8 bytes), checked before parsing. */
  maxBytes?: number;
}

/** What an IdP's metadata says, read from its one IDPSSODescriptor for SAML 2.0. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService Location per binding (the first of each, in document order). */
  sso: { redirect?: string; post?: string };
  /** SingleLogoutService, when published. */
  slo: { redirect?: string; post?: string };
  /** PEM, every KeyDescriptor use="signing" or without use, in document order. */
  signingCertificates: string[];
  /** PEM, every KeyDescriptor use="encryption" or without use, in document order. */
  encryptionCertificates: string[];
  nameIdFormats: string[];
  wantAuthnRequestsSigned: boolean;
  /** The earliest validUntil of the document, the entity and its IDPSSODescriptor; null when none. */
  validUntil: Date | null;
  /** true only when the document's signature was verified with options.signingCertificates. */
  signed: boolean;
  /** What is accepted but weak, in words: an endpoint over plain http://. */
  warnings: string[];
}

/** Options of inspectResponse: validateResponse's, and the replay store to use instead of the config's. */
export interface InspectOptions extends ValidateOptions {
  /**
   * Default: the config's store, as validateResponse uses it (a login inspected is a login used).
   * Pass a fresh createMemoryReplayStore() to look at a captured response without consuming it.
   */
  replayStore?: ReplayStore;
}

/** One check of inspectResponse's trace. */
export interface CheckResult {
  /** Stable: 'config', 'input.size', 'xml.parse', 'status', 'assertion', 'signatures', 'signature.response', 'decrypt', 'signature.assertion', 'version', 'destination', 'issuer', 'in-response-to', 'recipient', 'time.conditions', 'audience', 'nameid', 'authn-statement', 'attributes', 'replay'. */
  id: string;
  title: string;
  /** not-run: it does not apply (no EncryptedAssertion), or what it needs failed (the message says which). */
  status: 'pass' | 'fail' | 'not-run';
  /** What the check expected and what it found; document values are quoted as messages quote them. */
  expected?: string;
  actual?: string;
  /** The error message when it failed; why, when it did not run. */
  message?: string;
  hint?: string;
  code?: SamlErrorCode;
  /** false when a value it read came from an element no verified signature covers. */
  verified: boolean;
}

/** A signature in the document, as it describes itself (unverified). */
export interface SignatureSummary {
  /** The local name of the signed (parent) element: "Response", "Assertion", or where it hides. */
  on: string;
  signatureAlgorithm: string | null;
  digestAlgorithm: string | null;
  canonicalization: string | null;
  referenceUri: string | null;
  /** SHA-256 of the KeyInfo certificate's DER (colon-separated hex), when it carries one. */
  keyInfoCertificateSha256: string | null;
}

/**
 * What the document claims, read once, exactly as written (times are the document's xs:dateTime
 * text). `verified` says which parts a verified signature covers; every other value is a claim.
 */
export interface DocumentSummary {
  verified: { response: boolean; assertion: boolean };
  /** The Response carried an EncryptedAssertion (the assertion fields are read after decryption, when it succeeded). */
  encrypted: boolean;
  responseId: string | null;
  issuer: string | null;
  destination: string | null;
  inResponseTo: string | null;
  issueInstant: string | null;
  status: string | null;
  statusMessage: string | null;
  assertionId: string | null;
  assertionIssuer: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  audiences: string[];
  recipient: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
  attributes: Record<string, string[]>;
  signatures: SignatureSummary[];
}

/** inspectResponse's result: the assertion only when every check passed. */
export interface InspectResult {
  ok: boolean;
  assertion: SamlAssertion | null;
  /** The first failure: the very error validateResponse throws for the same input. */
  error: SamlError | null;
  checks: CheckResult[];
  /** null when the body could not be decoded and parsed. */
  document: DocumentSummary | null;
}
