/**
 * XML-DSig verification as a strict SAML profile, on the DOM nodes the values are later read from.
 * The Signature's shape is checked before any crypto (one SignedInfo, one Reference to `#` + the
 * parent's ID, allow-listed algorithms and transforms); then the parent is canonicalized without
 * its enveloped Signature, its digest compared, SignedInfo canonicalized and the signature verified
 * with the configured keys only. No re-parse, no XPath, no key from the document.
 */
import type { Element } from '@xmldom/xmldom';
import { digestText, verifyRsaText } from '#crypto-backend';
import { decodeBase64 } from '../base64.js';
import { C14N, canonicalize, type C14nMethod, type CanonicalText, type SubtreeReuse } from './canonicalize.js';
import type { HashName, VerificationKey } from '../certificates.js';
import { NS, attr, childElements, textOf } from './dom.js';
import { SamlError, show } from '../errors.js';

const ALG = {
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  ...C14N,
} as const;

const SIGNATURE_METHODS: Readonly<Record<string, HashName>> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'SHA-512',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'SHA-1',
};

const DIGEST_METHODS: Readonly<Record<string, HashName>> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
  'http://www.w3.org/2000/09/xmldsig#sha1': 'SHA-1',
};

export interface VerifiedSignature {
  signatureAlgorithm: string;
  digestAlgorithm: string;
  certificateSubject: string;
}

/**
 * Verify `signature`, a ds:Signature that must be a direct child of `signed`, over `signed`.
 * Throws a SamlError on any deviation; returns what was verified. `reuse` carries renderings of
 * the Assertion's children from one canonicalization to the next (see canonicalize.ts).
 */
export async function verifySignature(
  signed: Element,
  signature: Element,
  keys: readonly VerificationKey[],
  allowSha1: boolean,
  reuse: SubtreeReuse | null,
  /** The validation instant, for naming an expired configured certificate. */
  now: number,
  /**
   * Metadata only: `Reference URI=""` (the whole document) is accepted for a Signature on the
   * document's root element, where it means that element (comments aside) and nothing else.
   */
  allowWholeDocument = false,
): Promise<VerifiedSignature> {
  const what = signed.localName ?? signed.nodeName;
  if (signature.parentNode !== signed) throw invalid(what, 'the Signature is not a direct child of the element it signs');

  // Signature = SignedInfo, SignatureValue, KeyInfo? and nothing else (no ds:Object to hide content in).
  const [signedInfo, signatureValue, ...rest] = childElements(signature);
  if (!isDs(signedInfo, 'SignedInfo') || !isDs(signatureValue, 'SignatureValue') || rest.length > 1 || (rest[0] && !isDs(rest[0], 'KeyInfo'))) {
    throw invalid(what, 'expected exactly SignedInfo, SignatureValue and an optional KeyInfo in the Signature');
  }

  const [c14nElement, methodElement, reference, ...extra] = childElements(signedInfo);
  if (!isDs(c14nElement, 'CanonicalizationMethod') || !isDs(methodElement, 'SignatureMethod') || !isDs(reference, 'Reference')) {
    throw invalid(what, 'expected CanonicalizationMethod, SignatureMethod and Reference in SignedInfo');
  }
  if (extra.length > 0) throw invalid(what, `expected exactly one Reference in SignedInfo; found ${1 + extra.length} elements after it`);

  const signedInfoC14n = canonicalizationMethod(c14nElement, what);
  const signatureMethod = algorithm(methodElement);
  const signatureHash = SIGNATURE_METHODS[signatureMethod];
  if (signatureHash === undefined || (signatureHash === 'SHA-1' && !allowSha1) || childElements(methodElement).length > 0) {
    throw notAllowed(what, 'signature algorithm', signatureMethod, 'RSA-SHA256, RSA-SHA384 or RSA-SHA512');
  }

  // The Reference must name the signed element itself, by its (document-unique) ID.
  const id = attr(signed, 'ID');
  const uri = attr(reference, 'URI');
  const isRoot = signed.ownerDocument?.documentElement === signed;
  const wholeDocument = allowWholeDocument && uri === '' && isRoot;
  if (!wholeDocument && (!id || uri !== `#${id}`)) {
    const expected = `${id ? show(`#${id}`) : 'a "#" and the ID'} (the signed element's ID)${allowWholeDocument && isRoot ? ' or "" (the whole document)' : ''}`;
    throw invalid(what, `expected the Reference URI ${expected}; got ${show(uri)}`);
  }
  const [transforms, digestMethodElement, digestValueElement, ...more] = childElements(reference);
  if (!isDs(transforms, 'Transforms') || !isDs(digestMethodElement, 'DigestMethod') || !isDs(digestValueElement, 'DigestValue') || more.length > 0) {
    throw invalid(what, 'expected Transforms, DigestMethod and DigestValue in the Reference');
  }
  const referenceC14n = transformChain(transforms, what, wholeDocument);
  const digestMethod = algorithm(digestMethodElement);
  const digestHash = DIGEST_METHODS[digestMethod];
  if (digestHash === undefined || (digestHash === 'SHA-1' && !allowSha1)) {
    throw notAllowed(what, 'digest algorithm', digestMethod, 'SHA-256, SHA-384 or SHA-512');
  }
  const expectedDigest = decodeBase64(textOf(digestValueElement));
  const signatureBytes = decodeBase64(textOf(signatureValue));
  if (expectedDigest === null) throw invalid(what, 'the DigestValue is not valid base64');
  if (signatureBytes === null) throw invalid(what, 'the SignatureValue is not valid base64');

  // Enveloped-signature transform: the element as it is, minus this Signature.
  const next = signature.nextSibling;
  signed.removeChild(signature);
  let signedText: CanonicalText;
  try {
    signedText = canonicalize(signed, referenceC14n, what, reuse);
  } finally {
    signed.insertBefore(signature, next);
  }
  const digest = await digestText(digestHash, signedText);
  if (!equalBytes(digest, expectedDigest)) {
    throw new SamlError(
      'SIGNATURE_INVALID',
      `The ${what} signature is invalid: the digest of the signed ${what} does not match its DigestValue (the content was changed after signing).`,
    );
  }

  const signedInfoText = canonicalize(signedInfo, signedInfoC14n, what).join('');
  for (const key of keys) {
    const ok = await verifyRsaText(await key.key(signatureHash), signatureHash, signatureBytes, signedInfoText);
    if (ok) return { signatureAlgorithm: signatureMethod, digestAlgorithm: digestMethod, certificateSubject: key.subject };
  }
  // An expired configured certificate is the likeliest cause: the IdP rolled its key over.
  const expired = keys.filter((k) => k.notAfter <= now).map((k) => `${show(k.subject)} expired on ${new Date(k.notAfter).toISOString().slice(0, 10)}`);
  throw new SamlError(
    'SIGNATURE_INVALID',
    `The ${what} signature does not verify with ${keys.length === 1 ? 'the configured IdP certificate' : `any of the ${keys.length} configured IdP certificates`}${expired.length > 0 ? ` (the configured certificate ${expired.join(', ')})` : ''}.`,
    'Paste the IdP\'s current signing certificate into the SAML settings (after a certificate rollover, add the new one).',
  );
}

function isDs(element: Element | undefined, localName: string): element is Element {
  return element !== undefined && element.localName === localName && element.namespaceURI === NS.dsig;
}

function algorithm(element: Element): string {
  return attr(element, 'Algorithm') ?? '(none)';
}

function canonicalizationMethod(element: Element, what: string): C14nMethod {
  const uri = algorithm(element);
  if (uri !== ALG.exc && uri !== ALG.inclusive) {
    // SignedInfo's own canonicalization: a WithComments or unknown method is refused.
    throw notAllowed(what, 'canonicalization', uri, 'exclusive or inclusive C14N 1.0 without comments');
  }
  return { algorithm: uri, prefixes: inclusivePrefixes(element, uri, what) };
}

/**
 * Exactly enveloped-signature then one canonicalization without comments. A lone
 * enveloped-signature is also exact: XML-DSig then canonicalizes with inclusive C14N 1.0.
 * After `URI=""` (metadata only), a WithComments canonicalization is accepted as the same method:
 * that reference's node-set has no comments (XML-DSig 4.4.3.3), so WithComments renders none
 * (federation aggregates, e.g. SWAMID's, are signed so).
 */
function transformChain(transforms: Element, what: string, wholeDocument: boolean): C14nMethod {
  const list = childElements(transforms);
  const uris = list.map(algorithm);
  const [enveloped, c14n, ...more] = list;
  if (enveloped === undefined || uris[0] !== ALG.enveloped || more.length > 0 || list.some((t) => !isDs(t, 'Transform'))) {
    throw notAllowed(what, 'transform list', uris.join(', '), 'enveloped-signature followed by one C14N 1.0 transform');
  }
  if (!parameterless(enveloped)) throw notAllowed(what, 'transform', 'enveloped-signature with parameters', 'no parameters');
  if (c14n === undefined) return { algorithm: ALG.inclusive, prefixes: [] };
  // XSLT, XPath filters, WithComments canonicalizations and unknown URIs are all refused here.
  const given = uris[1] as string;
  const uri = !wholeDocument ? given : given === `${ALG.exc}WithComments` ? ALG.exc : given === `${ALG.inclusive}#WithComments` ? ALG.inclusive : given;
  if (uri !== ALG.exc && uri !== ALG.inclusive) {
    throw notAllowed(what, 'transform', uri, 'enveloped-signature and exclusive or inclusive C14N 1.0');
  }
  return { algorithm: uri, prefixes: inclusivePrefixes(c14n, uri, what) };
}

/**
 * The enveloped-signature transform takes no parameters. xml-crypto 6, the most used JavaScript
 * signer, writes an InclusiveNamespaces element into every Transform of a Reference with a
 * PrefixList, this one included (in the namespace of the Transform's own algorithm URI); there it
 * means nothing (xmlsec1 ignores it too), so exactly that one element is accepted and ignored.
 * Anything else under this Transform is refused.
 */
function parameterless(transform: Element): boolean {
  const params = childElements(transform);
  if (params.length === 0) return true;
  const only = params[0] as Element;
  // xml-crypto 6.3 puts it in the namespace of the Transform's algorithm URI; the exc-c14n one is accepted too.
  const namespace = only.namespaceURI;
  return params.length === 1 && only.localName === 'InclusiveNamespaces' && (namespace === NS.excC14n || namespace === ALG.enveloped) && childElements(only).length === 0;
}

/** The exc-c14n InclusiveNamespaces PrefixList; any other parameter is refused. */
function inclusivePrefixes(method: Element, uri: string, what: string): string[] {
  const params = childElements(method);
  if (params.length === 0) return [];
  const only = params[0] as Element;
  if (uri !== ALG.exc || params.length > 1 || only.localName !== 'InclusiveNamespaces' || only.namespaceURI !== NS.excC14n) {
    throw notAllowed(what, 'canonicalization parameter', only.nodeName, 'only InclusiveNamespaces with exclusive C14N');
  }
  return (attr(only, 'PrefixList') ?? '').split(/\s+/).filter((p) => p !== '');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function invalid(what: string, problem: string): SamlError {
  return new SamlError('SIGNATURE_INVALID', `The ${what} signature is invalid: ${problem}.`);
}

function notAllowed(what: string, kind: string, got: string, expected: string): SamlError {
  return new SamlError(
    'ALGORITHM_NOT_ALLOWED',
    `The ${what} signature uses the ${kind} ${show(got)}; expected ${expected}.`,
    got.includes('sha1') ? 'Set the IdP to sign with RSA-SHA256 (or allow SHA-1 knowingly with policy.allowSha1).' : undefined,
  );
}
