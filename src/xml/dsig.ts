/**
 * XML-DSig verification as a strict SAML profile, on the DOM nodes the values are later read from.
 * The Signature's shape is checked before any crypto (one SignedInfo, one Reference to `#` + the
 * parent's ID, allow-listed algorithms and transforms); then the parent is canonicalized without
 * its enveloped Signature, its digest compared, SignedInfo canonicalized and the signature verified
 * with the configured keys only. No re-parse, no XPath, no key from the document.
 */
import type { Element } from '@xmldom/xmldom';
import { digestText, verifyRsaText } from '#crypto-backend';
import { decodeBase64, encodeBase64 } from '../base64.js';
import { C14N, canonicalize, type C14nMethod, type CanonicalText, type SubtreeReuse } from './canonicalize.js';
import { describeCertificate, type HashName, type VerificationKey } from '../certificates.js';
import { NS, attr, childElements, textOf } from './dom.js';
import { SamlError, idpHint, show, withDetail, type IdpHint } from '../errors.js';

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
  /** SHA-256 fingerprint of the configured certificate that verified it. */
  certificateSha256: string;
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
    const named = `the signed ${what}${id ? ` (ID ${show(id)})` : ''}`;
    throw withDetail(
      new SamlError(
        'SIGNATURE_INVALID',
        `The ${what} signature is invalid: the digest of ${named} does not match its DigestValue, so the ${what} was changed after signing (its content, or its serialization: re-indented or re-encoded).`,
      ),
      { expected: `the ${what} as signed (DigestValue ${show(textOf(digestValueElement))})`, actual: `the ${what} changed since signing (digest ${show(encodeBase64(digest))})` },
    );
  }

  const signedInfoText = canonicalize(signedInfo, signedInfoC14n, what).join('');
  for (const key of keys) {
    const ok = await verifyRsaText(await key.key(signatureHash), signatureHash, signatureBytes, signedInfoText);
    if (ok) return { signatureAlgorithm: signatureMethod, digestAlgorithm: digestMethod, certificateSubject: key.subject, certificateSha256: key.sha256Fingerprint };
  }
  throw await signatureValueMismatch(what, signature, keys, now);
}

/**
 * The signature value matches none of the configured keys: which certificates were tried, and what
 * the Signature's KeyInfo says it was signed with. That certificate is read for the message only,
 * never used as a key; when it is none of the configured ones, the admin most likely pasted the
 * wrong or the retired certificate, and its fingerprint is what they compare at the IdP.
 */
async function signatureValueMismatch(what: string, signature: Element, keys: readonly VerificationKey[], now: number): Promise<SamlError> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const tried = keys.map((k) => `${show(k.subject)} (SHA-256 ${k.sha256Fingerprint}${k.notAfter <= now ? `, expired on ${day(k.notAfter)}` : ''})`);
  const configured = keys.length === 1 ? `the configured IdP certificate ${tried[0]}` : `any of the ${keys.length} configured IdP certificates (${tried.join('; ')})`;
  const carried = keyInfoCertificate(signature);
  const facts = carried === null ? null : await describeCertificate(carried);
  const match = facts && keys.find((k) => k.sha256Fingerprint === facts.sha256Fingerprint);
  let finding: string;
  let actual: string;
  let hint: string | IdpHint = idpHint('Paste the IdP\'s current signing certificate', '"X.509 Certificate" in "View SAML setup instructions"', '"Certificate (Base64)" under "SAML Certificates"', ' into the SAML settings (after a certificate rollover, add the new one).');
  if (carried === null) {
    finding = 'The Signature carries no KeyInfo certificate to compare.';
    actual = 'a signature by another key (the Signature names no certificate)';
  } else if (facts === null) {
    finding = 'Its KeyInfo holds an X509Certificate that is not a readable certificate.';
    actual = 'a signature by another key (KeyInfo holds no readable certificate)';
  } else if (match) {
    finding = `Its KeyInfo names the configured certificate ${show(match.subject)}: the signature value does not match SignedInfo (SignedInfo was changed after signing, or the signature is damaged).`;
    actual = `KeyInfo names ${show(match.subject)}, but the signature value does not match`;
    hint = 'The response was altered after the IdP signed it; capture a fresh one. If it persists, report it to the IdP.';
  } else {
    const validity = `valid ${day(facts.notBefore)} to ${day(facts.notAfter)}${facts.notAfter <= now ? ', expired' : ''}`;
    finding = `Its KeyInfo carries a certificate that is not configured: ${show(facts.subject)}, SHA-256 ${facts.sha256Fingerprint}, ${validity} (read only to name it; never used to verify).`;
    actual = `signed with ${show(facts.subject)} (SHA-256 ${facts.sha256Fingerprint}, ${validity}), not configured`;
    hint = idpHint(
      'The IdP signs with another certificate than the one configured (a wrong or retired certificate was pasted). Compare the fingerprint above with the IdP\'s current signing certificate',
      '"X.509 Certificate" in "View SAML setup instructions"',
      '"Thumbprint" and "Certificate (Base64)" under "SAML Certificates"',
      ', and paste that one into the SAML settings; never trust a certificate because a response carries it.',
    );
  }
  return withDetail(
    new SamlError('SIGNATURE_INVALID', `The ${what} signature does not verify with ${configured}. ${finding}`, hint),
    { expected: `signed with ${tried.join(' or ')}`, actual },
  );
}

/** The text of the Signature's KeyInfo/X509Data/X509Certificate, when there is one (never a key). */
function keyInfoCertificate(signature: Element): string | null {
  const keyInfo = childElements(signature).find((e) => isDs(e, 'KeyInfo'));
  for (const data of keyInfo ? childElements(keyInfo) : []) {
    if (!isDs(data, 'X509Data')) continue;
    const certificate = childElements(data).find((e) => isDs(e, 'X509Certificate'));
    if (certificate) return textOf(certificate);
  }
  return null;
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
