/** Public types of saml-core. */

export interface SamlConfig {
  sp: { entityId: string; acsUrl: string };
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

/** true = first time seen; false = already seen. Must be atomic. */
export interface ReplayStore {
  remember(key: string, expiresAt: Date): Promise<boolean>;
}

export type ResponseBody = string | URLSearchParams | Record<string, string | undefined>;

export interface ValidateOptions {
  /** The instant to judge times at; default: the current time. */
  now?: Date;
  /**
   * The ID(s) of the AuthnRequest(s) this session is waiting for (SP-initiated login).
   * null or omitted: IdP-initiated rules (no InResponseTo; policy.allowIdpInitiated must be true).
   */
  requestId?: string | string[] | null;
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
}

export interface AuthnRequestOptions {
  binding?: 'redirect' | 'post';
  relayState?: string;
  forceAuthn?: boolean;
  now?: Date;
}

export interface AuthnRequestResult {
  id: string;
  xml: string;
  redirectUrl?: string;
  form?: { action: string; fields: Record<string, string>; html: string };
}
