/**
 * What a Response claims, for people: inspectResponse's `document` and the CLI's decode. Read once,
 * leniently (a missing element is null, never an error), exactly as written; `verified` says which
 * parts a verified signature covers. Nothing here decides anything: the checks do.
 */
import type { Element } from '@xmldom/xmldom';
import { decodeBase64 } from '../base64.js';
import { sha256Fingerprint } from '../certificates.js';
import { NS, attr, childElements, children, optionalChild, textOf as strictTextOf } from '../xml/dom.js';
import { parseResponse, type ParsedResponse } from '../xml/parse.js';
import { checkXmlText } from './decode.js';
import type { DocumentSummary, SignatureSummary } from '../types.js';

/** The summary of a parsed Response; `verified` as the signature checks found. */
export async function summarizeResponse(parsed: ParsedResponse, verified: DocumentSummary['verified'], encrypted: boolean): Promise<DocumentSummary> {
  const { response } = parsed;
  const status = optionalChild(response, NS.protocol, 'Status');
  const code = status && optionalChild(status, NS.protocol, 'StatusCode');
  const message = status && optionalChild(status, NS.protocol, 'StatusMessage');
  const assertion = parsed.assertions.find((a) => a.parentNode === response) ?? parsed.assertions[0] ?? null;
  const subject = assertion && optionalChild(assertion, NS.assertion, 'Subject');
  const nameId = subject && optionalChild(subject, NS.assertion, 'NameID');
  const conditions = assertion && optionalChild(assertion, NS.assertion, 'Conditions');
  const data = subject ? children(subject, NS.assertion, 'SubjectConfirmation').flatMap((c) => children(c, NS.assertion, 'SubjectConfirmationData')) : [];
  return {
    verified,
    encrypted,
    responseId: attr(response, 'ID'),
    issuer: childText(response, 'Issuer'),
    destination: attr(response, 'Destination'),
    inResponseTo: attr(response, 'InResponseTo'),
    issueInstant: attr(response, 'IssueInstant'),
    status: code && attr(code, 'Value'),
    statusMessage: message && textOf(message),
    assertionId: assertion && attr(assertion, 'ID'),
    assertionIssuer: assertion && childText(assertion, 'Issuer'),
    nameId: nameId && textOf(nameId),
    nameIdFormat: nameId && attr(nameId, 'Format'),
    audiences: conditions ? children(conditions, NS.assertion, 'AudienceRestriction').flatMap((r) => children(r, NS.assertion, 'Audience').map(textOf)) : [],
    recipient: data.map((d) => attr(d, 'Recipient')).find((r) => r !== null) ?? null,
    notBefore: conditions && attr(conditions, 'NotBefore'),
    notOnOrAfter: conditions && attr(conditions, 'NotOnOrAfter'),
    attributes: assertion ? attributesOf(assertion) : {},
    signatures: await Promise.all(parsed.signatures.map(signatureSummary)),
  };
}

/** The summary of a Response's XML text, unverified (the CLI's decode); parsed once, default limits. */
export async function summarizeResponseXml(xml: string): Promise<DocumentSummary> {
  const parsed = parseResponse(checkXmlText(xml, 'INVALID_INPUT', 'INVALID_XML'));
  return summarizeResponse(parsed, { response: false, assertion: false }, parsed.encryptedAssertions.length > 0);
}

function childText(parent: Element, localName: string): string | null {
  const child = optionalChild(parent, NS.assertion, localName);
  return child && textOf(child);
}

function attributesOf(assertion: Element): Record<string, string[]> {
  const attributes: Record<string, string[]> = Object.create(null);
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of children(statement, NS.assertion, 'Attribute')) {
      const values = (attributes[attr(attribute, 'Name') ?? ''] ??= []);
      for (const value of children(attribute, NS.assertion, 'AttributeValue')) values.push(textOf(value));
    }
  }
  return attributes;
}

async function signatureSummary(signature: Element): Promise<SignatureSummary> {
  const ds = (parent: Element | null | undefined, name: string) => (parent ? childElements(parent).find((e) => e.localName === name && e.namespaceURI === NS.dsig) ?? null : null);
  const algorithm = (element: Element | null) => element && attr(element, 'Algorithm');
  const signedInfo = ds(signature, 'SignedInfo');
  const reference = ds(signedInfo, 'Reference');
  const certificate = ds(ds(ds(signature, 'KeyInfo'), 'X509Data'), 'X509Certificate');
  const der = certificate && decodeBase64(textOf(certificate).replace(/[ \t\r\n]/g, ''));
  const parent = signature.parentNode as Element | null;
  return {
    on: parent?.localName ?? '(none)',
    signatureAlgorithm: algorithm(ds(signedInfo, 'SignatureMethod')),
    digestAlgorithm: algorithm(ds(reference, 'DigestMethod')),
    canonicalization: algorithm(ds(signedInfo, 'CanonicalizationMethod')),
    referenceUri: reference && attr(reference, 'URI'),
    keyInfoCertificateSha256: der ? await sha256Fingerprint(der) : null,
  };
}

/** An element's text; where markup hides in it (an attack, or a NameID in an AttributeValue), all of its text. */
function textOf(element: Element): string {
  try {
    return strictTextOf(element);
  } catch {
    return element.textContent ?? '';
  }
}
