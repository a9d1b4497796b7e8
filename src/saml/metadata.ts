/**
 * An IdP's SAML 2.0 metadata (saml-metadata-2.0-os) → the values an SP is configured with. Metadata
 * is untrusted input like a Response: the same input rules and the one strict parser, with
 * structural limits sized for federation aggregates; a signature on the root is verified with the
 * same XML-DSig profile code, with the caller's certificates only. No I/O: fetching the metadata
 * URL is the application's job.
 */
import type { Element } from '@xmldom/xmldom';
import { certificateDer, derToPem, loadVerificationKeys } from '../certificates.js';
import { configError, describe, onlyKnownKeys } from '../config.js';
import { SamlError, idpHint, show, type IdpHint } from '../errors.js';
import type { IdpMetadata, ParseIdpMetadataOptions, SamlConfig, XmlLimits } from '../types.js';
import { NS, attr, childElements, children, textOf } from '../xml/dom.js';
import { verifySignature } from '../xml/dsig.js';
import { parseXml, walkWithUniqueIds, type XmlSource } from '../xml/parse.js';
import { parseDateTime } from './datetime.js';
import { byteLength, checkXmlText } from './decode.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BINDINGS = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

export const DEFAULT_METADATA_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Metadata's structural limits: a federation aggregate holds thousands of entities (SWAMID's 941 KB
 * snapshot: 175 entities), so the counts are far above a Response's; the depth stays the same,
 * which keeps the parser's cost linear (xmldom's namespace scopes cost grows with depth).
 */
export const METADATA_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxDepth: 64,
  maxElements: 1_000_000,
  maxAttributesPerElement: 64,
  maxNamespaceDeclarationsPerElement: 64,
  maxNamespaceDeclarations: 500_000,
  maxComments: 100_000,
});

const SOURCE: XmlSource = { name: 'IdP metadata', code: 'METADATA_INVALID', limitsSetting: null };
const OPTION_KEYS = ['entityId', 'now', 'signingCertificates', 'allowSha1', 'maxBytes'];

const DOWNLOAD_AGAIN: IdpHint = idpHint(
  'Download the IdP metadata again, unchanged',
  'the app\'s Sign On tab, "Metadata URL"',
  'the Single sign-on page, SAML Certificates, "App Federation Metadata Url"',
  '.',
);

/** Parse and check an IdP's metadata; see the README section "Configure from metadata". */
export async function parseIdpMetadata(xml: string, options: ParseIdpMetadataOptions = {}): Promise<IdpMetadata> {
  const opts = readOptions(options);
  if (typeof xml !== 'string') throw invalid(`expected the metadata XML as a string; got ${describe(xml)}`);
  if (byteLength(xml, opts.maxBytes) > opts.maxBytes) {
    throw invalid(`the document is larger than ${opts.maxBytes} bytes (options.maxBytes)`, 'Pass the metadata of one IdP, or raise options.maxBytes for a federation aggregate.');
  }
  // A UTF-8 byte-order mark, as Entra ID's "Federation Metadata XML" download has.
  const text = checkXmlText(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml, 'METADATA_INVALID', 'METADATA_INVALID');
  const { root } = parseXml(text, METADATA_XML_LIMITS, SOURCE);
  if (root.namespaceURI !== MD || (root.localName !== 'EntityDescriptor' && root.localName !== 'EntitiesDescriptor')) {
    throw invalid(`expected an md:EntityDescriptor or md:EntitiesDescriptor root (in ${MD}); got ${show(root.localName)} in ${root.namespaceURI === null ? 'no namespace' : show(root.namespaceURI)}`);
  }
  walkWithUniqueIds(root, 'METADATA_INVALID', () => {});

  const signed = await checkSignature(root, opts);
  const entity = chooseEntity(root, opts.entityId);
  const metadata = readIdp(entity.element, entity.idp, opts, signed);

  const validUntil = earliestValidUntil([root, entity.element, entity.idp]);
  if (validUntil !== null && validUntil <= opts.now) {
    throw new SamlError(
      'METADATA_EXPIRED',
      `The IdP metadata expired: its validUntil is ${new Date(validUntil).toISOString()}, and now is ${new Date(opts.now).toISOString()}.`,
      idpHint('Download the IdP\'s current metadata (refresh it on a schedule)', 'the app\'s Sign On tab, "Metadata URL"', '"App Federation Metadata Url"', '.'),
    );
  }
  metadata.validUntil = validUntil === null ? null : new Date(validUntil);
  return metadata;
}

/** The IdP part of a SamlConfig: entity ID, SSO URL (HTTP-Redirect, else HTTP-POST), signing certificates. */
export function idpConfigFromMetadata(metadata: IdpMetadata): SamlConfig['idp'] {
  if (typeof metadata !== 'object' || metadata === null || typeof metadata.entityId !== 'string' || !Array.isArray(metadata.signingCertificates) || typeof metadata.sso !== 'object') {
    throw configError('idpConfigFromMetadata takes the result of parseIdpMetadata', metadata);
  }
  const ssoUrl = metadata.sso.redirect ?? metadata.sso.post;
  return {
    entityId: metadata.entityId,
    ...(ssoUrl === undefined ? {} : { ssoUrl }),
    certificates: [...metadata.signingCertificates],
  };
}

interface Options {
  entityId: string | null;
  now: number;
  signingCertificates: string[] | null;
  allowSha1: boolean;
  maxBytes: number;
}

function readOptions(options: ParseIdpMetadataOptions): Options {
  if (typeof options !== 'object' || options === null) throw configError('the parseIdpMetadata options must be an object', options);
  onlyKnownKeys(options as Record<string, unknown>, 'options', OPTION_KEYS);
  const { entityId, now, signingCertificates, allowSha1, maxBytes } = options;
  if (entityId !== undefined && (typeof entityId !== 'string' || entityId === '')) throw configError('options.entityId must be a non-empty string', entityId);
  if (now !== undefined && !(now instanceof Date && !Number.isNaN(now.getTime()))) throw configError('options.now must be a valid Date', now);
  const certificates = typeof signingCertificates === 'string' ? [signingCertificates] : signingCertificates;
  if (certificates !== undefined && (!Array.isArray(certificates) || certificates.length === 0 || certificates.some((c) => typeof c !== 'string'))) {
    throw configError('options.signingCertificates must be a PEM certificate or a non-empty array of them', signingCertificates);
  }
  if (allowSha1 !== undefined && typeof allowSha1 !== 'boolean') throw configError('options.allowSha1 must be a boolean', allowSha1);
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw configError('options.maxBytes must be a positive integer', maxBytes);
  return {
    entityId: entityId ?? null,
    now: now === undefined ? Date.now() : now.getTime(),
    signingCertificates: certificates === undefined ? null : [...certificates],
    allowSha1: allowSha1 ?? false,
    maxBytes: maxBytes ?? DEFAULT_METADATA_MAX_BYTES,
  };
}

/**
 * The root's own signature, verified when signing certificates are given (and then required).
 * Only a Signature that is a direct child of the root counts: it covers the whole document, so
 * every value read afterwards comes from signed XML. Signatures deeper inside (on one entity of an
 * aggregate) are not what the caller pinned, and are not followed.
 */
async function checkSignature(root: Element, opts: Options): Promise<boolean> {
  if (opts.signingCertificates === null) return false;
  const signatures = children(root, NS.dsig, 'Signature');
  if (signatures.length !== 1) {
    throw invalid(
      signatures.length === 0
        ? `options.signingCertificates requires a signed document, and the ${root.localName} carries no Signature`
        : `the ${root.localName} carries ${signatures.length} Signatures; exactly one is expected`,
      'Use the metadata exactly as the IdP publishes it (signed), or leave options.signingCertificates out for unsigned metadata.',
    );
  }
  const keys = await loadVerificationKeys(opts.signingCertificates, 2048, 'options.signingCertificates');
  try {
    await verifySignature(root, signatures[0] as Element, keys, opts.allowSha1, null, opts.now, true);
  } catch (error) {
    if (!(error instanceof SamlError)) throw error;
    throw new SamlError(
      'METADATA_INVALID',
      `The IdP metadata's signature is not valid: ${error.message}`,
      error.code === 'ALGORITHM_NOT_ALLOWED' && /sha1/i.test(error.message)
        ? 'Federation aggregates are often signed with RSA-SHA1: allow it knowingly with options.allowSha1.'
        : 'Use the metadata bytes exactly as the IdP serves them (re-indenting or editing breaks the signature), and the certificate the IdP or federation signs its metadata with.',
    );
  }
  return true;
}

interface Candidate {
  element: Element;
  idp: Element;
  entityId: string;
}

/** The IdP entity: the root EntityDescriptor, or the one named by options.entityId in an aggregate. */
function chooseEntity(root: Element, wanted: string | null): Candidate {
  const candidates: Candidate[] = [];
  // EntitiesDescriptor nests EntitiesDescriptor and EntityDescriptor children only (no search elsewhere).
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (element.localName === 'EntitiesDescriptor') {
      for (const child of childElements(element).reverse()) {
        if (child.namespaceURI === MD && (child.localName === 'EntitiesDescriptor' || child.localName === 'EntityDescriptor')) stack.push(child);
      }
      continue;
    }
    const entityId = attr(element, 'entityID');
    if (entityId === null || entityId === '') throw invalid('an EntityDescriptor has no entityID');
    const idps = children(element, MD, 'IDPSSODescriptor').filter((d) => (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL));
    if (idps.length > 1) throw invalid(`the entity ${show(entityId)} has ${idps.length} SAML 2.0 IDPSSODescriptors; one is expected`);
    if (idps.length === 1) candidates.push({ element, idp: idps[0] as Element, entityId });
  }
  const found = wanted === null ? candidates : candidates.filter((c) => c.entityId === wanted);
  if (found.length === 1) return found[0] as Candidate;
  if (candidates.length === 0) {
    throw invalid(
      `no IDPSSODescriptor supporting SAML 2.0 (${SAML2_PROTOCOL}) in any of its ${root.localName === 'EntityDescriptor' ? '1 entity' : 'entities'}`,
      'This is not an IdP\'s SAML 2.0 metadata (an SP\'s metadata holds an SPSSODescriptor instead): download the IdP metadata of the application.',
    );
  }
  if (found.length > 1 && found.every((c) => c.entityId === (found[0] as Candidate).entityId)) {
    throw invalid(`${found.length} IdP entities have the entityID ${show((found[0] as Candidate).entityId)}; an entity ID must name one entity (signature wrapping?)`);
  }
  const ids = candidates.map((c) => show(c.entityId));
  const list = `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`;
  if (wanted === null) {
    throw invalid(`the document holds ${candidates.length} IdP entities: ${list}; options.entityId must name the one to use`, 'Pass options.entityId: the entity ID of the IdP the users sign in with.');
  }
  throw invalid(`no IdP entity has the entityID ${show(wanted)} (options.entityId); the IdP entities are ${list}`);
}

function readIdp(entity: Element, idp: Element, opts: Options, signed: boolean): IdpMetadata {
  const entityId = attr(entity, 'entityID') as string;
  const warnings: string[] = [];
  const sso = endpoints(idp, 'SingleSignOnService', warnings);
  if (sso.redirect === undefined && sso.post === undefined) {
    throw invalid(`the IdP ${show(entityId)} has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding`);
  }
  const slo = endpoints(idp, 'SingleLogoutService', warnings);

  const signingCertificates: string[] = [];
  const encryptionCertificates: string[] = [];
  for (const descriptor of children(idp, MD, 'KeyDescriptor')) {
    const use = attr(descriptor, 'use');
    if (use !== null && use !== 'signing' && use !== 'encryption') throw invalid(`a KeyDescriptor has use=${show(use)}; expected "signing", "encryption" or no use`);
    for (const pem of certificatesOf(descriptor)) {
      if (use !== 'encryption') signingCertificates.push(pem);
      if (use !== 'signing') encryptionCertificates.push(pem);
    }
  }
  if (signingCertificates.length === 0) throw invalid(`the IdP ${show(entityId)} publishes no signing certificate (KeyDescriptor use="signing" with an X509Certificate)`);

  const nameIdFormats = children(idp, MD, 'NameIDFormat').map((e) => textOf(e).trim());
  const wants = attr(idp, 'WantAuthnRequestsSigned');
  if (wants !== null && !['true', 'false', '1', '0'].includes(wants)) throw invalid(`WantAuthnRequestsSigned is ${show(wants)}; expected true or false`);
  return {
    entityId,
    sso,
    slo,
    signingCertificates,
    encryptionCertificates,
    nameIdFormats,
    wantAuthnRequestsSigned: wants === 'true' || wants === '1',
    validUntil: null,
    signed,
    warnings,
  };
}

/** The first endpoint per binding, in document order; a Location must be an absolute http(s) URL. */
function endpoints(idp: Element, name: string, warnings: string[]): { redirect?: string; post?: string } {
  const out: { redirect?: string; post?: string } = {};
  for (const element of children(idp, MD, name)) {
    const binding = attr(element, 'Binding');
    const key = binding === BINDINGS.redirect ? 'redirect' : binding === BINDINGS.post ? 'post' : null;
    if (key === null || out[key] !== undefined) continue;
    const location = attr(element, 'Location') ?? '';
    let url: URL | null = null;
    try {
      url = new URL(location);
    } catch {
      // reported below
    }
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || location !== location.trim()) {
      throw invalid(`the ${name} Location ${show(location)} is not an absolute http(s) URL (a browser would be sent there)`);
    }
    if (url.protocol === 'http:') {
      warnings.push(`The ${name} (${key === 'redirect' ? 'HTTP-Redirect' : 'HTTP-POST'}) Location ${show(location)} is plain http://: the sign-in travels unencrypted.`);
    }
    out[key] = location;
  }
  return out;
}

function certificatesOf(descriptor: Element): string[] {
  const pems: string[] = [];
  for (const keyInfo of children(descriptor, NS.dsig, 'KeyInfo')) {
    for (const data of children(keyInfo, NS.dsig, 'X509Data')) {
      for (const element of children(data, NS.dsig, 'X509Certificate')) {
        const result = certificateDer(textOf(element));
        if ('problem' in result) throw invalid(`an X509Certificate of a KeyDescriptor ${result.problem}`);
        pems.push(derToPem(result.der));
      }
    }
  }
  return pems;
}

function earliestValidUntil(elements: Element[]): number | null {
  let earliest: number | null = null;
  for (const element of new Set(elements)) {
    const value = attr(element, 'validUntil');
    if (value === null) continue;
    const instant = parseDateTime(value);
    if (instant === null) throw invalid(`the ${element.localName} validUntil ${show(value)} is not an xs:dateTime with a time zone`);
    if (earliest === null || instant < earliest) earliest = instant;
  }
  return earliest;
}

function invalid(problem: string, hint: string | IdpHint = DOWNLOAD_AGAIN): SamlError {
  return new SamlError('METADATA_INVALID', `The IdP metadata is not usable: ${problem}.`, hint);
}
