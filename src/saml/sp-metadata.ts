/**
 * The SP's own metadata (SAML metadata 2.4.4): one <md:EntityDescriptor> with one
 * <md:SPSSODescriptor>, the file an admin uploads into the IdP instead of pasting the ACS URL and
 * the entity ID. Built as a DOM and serialised by xmldom, which escapes every value; the same
 * config and options always give the same text (no ID, no timestamp of its own).
 */
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { onlyKnownKeys, resolveConfig } from '../config.js';
import { SamlError, show } from '../errors.js';
import { uriSafe, xmlSafe } from '../xml/write.js';
import type { SamlConfig } from '../types.js';
import { describe, isXsdDate } from './options.js';

export type ContactType = 'technical' | 'support' | 'administrative' | 'billing' | 'other';

export interface SpMetadataContact {
  type: ContactType;
  company?: string;
  givenName?: string;
  surName?: string;
  /** Written as mailto: URIs (an address given as `mailto:...` is kept as it is). */
  emailAddresses?: string[];
  telephoneNumbers?: string[];
}

export interface SpMetadataOptions {
  /** The instant after which the IdP should no longer trust this document (the validUntil attribute). */
  validUntil?: Date;
  organization?: {
    name: string;
    /** Default: `name`. */
    displayName?: string;
    /** An absolute http(s) URL. */
    url: string;
    /** xml:lang of the three values. Default 'en'. */
    lang?: string;
  };
  contacts?: SpMetadataContact[];
}

const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
// What decryption accepts by default (src/xml/xmlenc.ts), as saml-metadata 2.4.1.1 lets an SP say:
// AES-GCM first, AES-CBC, then the key transport.
const ENCRYPTION_METHODS = [
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
];
// SAML core 8.3.6 and the metadata schema's entityIDType: a URI of at most 1024 characters.
const MAX_ENTITY_ID_LENGTH = 1024;
const CONTACT_TYPES: readonly ContactType[] = ['technical', 'support', 'administrative', 'billing', 'other'];
const OPTION_KEYS = ['validUntil', 'organization', 'contacts'];
const ORGANIZATION_KEYS = ['name', 'displayName', 'url', 'lang'];
const CONTACT_KEYS = ['type', 'company', 'givenName', 'surName', 'emailAddresses', 'telephoneNumbers'];
// xs:language (XML Schema part 2, 3.3.3), which xml:lang is in the metadata schema.
const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

export function createSpMetadata(config: SamlConfig, options?: SpMetadataOptions): string {
  const { spEntityId, acsUrl, nameIdFormat, encryptionCertificate } = resolveConfig(config);
  // entityID, Location and NameIDFormat are xs:anyURI in the metadata schema.
  uriSafe(spEntityId, 'sp.entityId');
  uriSafe(acsUrl, 'sp.acsUrl');
  if (nameIdFormat !== null) uriSafe(nameIdFormat, 'policy.nameIdFormat');
  if (spEntityId.length > MAX_ENTITY_ID_LENGTH) {
    throw new SamlError(
      'CONFIG_INVALID',
      `Invalid configuration: sp.entityId must be at most ${MAX_ENTITY_ID_LENGTH} characters (SAML core 8.3.6); got ${spEntityId.length}.`,
    );
  }
  const o = checkOptions(options);

  const doc = new DOMImplementation().createDocument(MD_NS, 'md:EntityDescriptor', null);
  const w = new Writer(doc);
  const root = doc.documentElement as Element;
  root.setAttributeNS(XMLNS_NS, 'xmlns:md', MD_NS);
  root.setAttribute('entityID', spEntityId);
  if (o.validUntil !== undefined) root.setAttribute('validUntil', o.validUntil.toISOString());

  // Schema order (metadata 2.4.4, 2.4.2, 2.4.1): NameIDFormat before AssertionConsumerService.
  const sp = w.add(root, 'SPSSODescriptor', null, 1);
  // No request signing exists yet: saying "true" would make the IdP reject every unsigned request.
  sp.setAttribute('AuthnRequestsSigned', 'false');
  sp.setAttribute('WantAssertionsSigned', 'true');
  sp.setAttribute('protocolSupportEnumeration', PROTOCOL_NS);
  // RoleDescriptor (2.4.1): KeyDescriptor before the SSODescriptor's NameIDFormat. The SP's
  // encryption certificate, with the algorithms decryption accepts by default, preferred first.
  if (encryptionCertificate !== null) {
    const key = w.add(sp, 'KeyDescriptor', null, 2);
    key.setAttribute('use', 'encryption');
    const keyInfo = w.addIn(key, DS_NS, 'ds:KeyInfo', null, 3);
    keyInfo.setAttributeNS(XMLNS_NS, 'xmlns:ds', DS_NS);
    const data = w.addIn(keyInfo, DS_NS, 'ds:X509Data', null, 4);
    w.addIn(data, DS_NS, 'ds:X509Certificate', encryptionCertificate.replace(/-----[^-]+-----|\s/g, ''), 5);
    w.close(data, 4);
    w.close(keyInfo, 3);
    for (const algorithm of ENCRYPTION_METHODS) w.add(key, 'EncryptionMethod', null, 3).setAttribute('Algorithm', algorithm);
    w.close(key, 2);
  }
  // policy.nameIdFormat 'any' (null) asks for no format: the IdP picks (core 3.4.1.1).
  if (nameIdFormat !== null) w.add(sp, 'NameIDFormat', nameIdFormat, 2);
  const acs = w.add(sp, 'AssertionConsumerService', null, 2);
  acs.setAttribute('Binding', HTTP_POST);
  acs.setAttribute('Location', acsUrl);
  acs.setAttribute('index', '0');
  acs.setAttribute('isDefault', 'true');
  w.close(sp, 1);

  // EntityDescriptor (2.3.2): role descriptors, then Organization, then ContactPerson*.
  if (o.organization !== undefined) {
    const { name, displayName, url, lang } = o.organization;
    const org = w.add(root, 'Organization', null, 1);
    for (const [local, value] of [['OrganizationName', name], ['OrganizationDisplayName', displayName], ['OrganizationURL', url]] as const) {
      w.add(org, local, value, 2).setAttributeNS(XML_NS, 'xml:lang', lang);
    }
    w.close(org, 1);
  }
  for (const c of o.contacts) {
    const person = w.add(root, 'ContactPerson', null, 1);
    person.setAttribute('contactType', c.type);
    if (c.company !== undefined) w.add(person, 'Company', c.company, 2);
    if (c.givenName !== undefined) w.add(person, 'GivenName', c.givenName, 2);
    if (c.surName !== undefined) w.add(person, 'SurName', c.surName, 2);
    for (const email of c.emailAddresses) w.add(person, 'EmailAddress', email, 2);
    for (const phone of c.telephoneNumbers) w.add(person, 'TelephoneNumber', phone, 2);
    w.close(person, 1);
  }
  w.close(root, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

/** Appends md: elements, indented two spaces a level (white space between elements is insignificant here). */
class Writer {
  constructor(private readonly doc: Document) {}

  add(parent: Element, localName: string, text: string | null, depth: number): Element {
    return this.addIn(parent, MD_NS, `md:${localName}`, text, depth);
  }

  addIn(parent: Element, namespace: string, qualifiedName: string, text: string | null, depth: number): Element {
    parent.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
    const element = this.doc.createElementNS(namespace, qualifiedName);
    if (text !== null) element.appendChild(this.doc.createTextNode(text));
    parent.appendChild(element);
    return element;
  }

  close(parent: Element, depth: number): void {
    parent.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
  }
}

interface CheckedContact {
  type: ContactType;
  company?: string;
  givenName?: string;
  surName?: string;
  emailAddresses: string[];
  telephoneNumbers: string[];
}

interface CheckedOptions {
  validUntil?: Date;
  organization?: { name: string; displayName: string; url: string; lang: string };
  contacts: CheckedContact[];
}

function checkOptions(options: unknown): CheckedOptions {
  if (options === undefined) return { contacts: [] };
  const o = record(options, 'options', OPTION_KEYS);
  const checked: CheckedOptions = { contacts: [] };

  if (o.validUntil !== undefined) {
    if (!isXsdDate(o.validUntil)) throw optionError('options.validUntil must be a valid Date between the years 1 and 9999', describe(o.validUntil));
    checked.validUntil = o.validUntil;
  }

  if (o.organization !== undefined) {
    const org = record(o.organization, 'options.organization', ORGANIZATION_KEYS);
    const name = text(org.name, 'options.organization.name', true) as string;
    const displayName = text(org.displayName, 'options.organization.displayName', false) ?? name;
    const url = text(org.url, 'options.organization.url', true) as string;
    if (!isHttpUrl(url)) throw optionError('options.organization.url must be an absolute http(s) URL', show(url));
    uriSafe(url, 'options.organization.url');
    const lang = text(org.lang, 'options.organization.lang', false) ?? 'en';
    if (!LANGUAGE.test(lang)) throw optionError('options.organization.lang must be a language tag such as "en" or "en-US"', show(lang));
    checked.organization = { name, displayName, url, lang };
  }

  if (o.contacts !== undefined) {
    if (!Array.isArray(o.contacts)) throw optionError('options.contacts must be an array', describe(o.contacts));
    checked.contacts = o.contacts.map((value, i) => checkContact(value, `options.contacts[${i}]`));
  }
  return checked;
}

function checkContact(value: unknown, name: string): CheckedContact {
  const c = record(value, name, CONTACT_KEYS);
  if (typeof c.type !== 'string' || !(CONTACT_TYPES as readonly string[]).includes(c.type)) {
    throw optionError(`${name}.type must be one of ${CONTACT_TYPES.join(', ')}`, describe(c.type));
  }
  const contact: CheckedContact = {
    type: c.type as ContactType,
    emailAddresses: list(c.emailAddresses, `${name}.emailAddresses`).map((email, i) => {
      // EmailAddress is an xs:anyURI: the mailto: URI of the address (RFC 6068).
      const address = email.startsWith('mailto:') ? email.slice('mailto:'.length) : email;
      if (!EMAIL.test(address)) throw optionError(`${name}.emailAddresses[${i}] must be an email address`, show(email));
      return `mailto:${address}`;
    }),
    telephoneNumbers: list(c.telephoneNumbers, `${name}.telephoneNumbers`),
  };
  for (const key of ['company', 'givenName', 'surName'] as const) {
    const v = text(c[key], `${name}.${key}`, false);
    if (v !== null) contact[key] = v;
  }
  return contact;
}

function record(value: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw optionError(`${name} must be an object`, describe(value));
  // A misspelt key (dispayName) would otherwise be dropped without a word: named, with the nearest
  // known key, as in the config and parseIdpMetadata's options.
  return onlyKnownKeys(value as Record<string, unknown>, name, keys);
}

/** A non-empty string without control characters; null when absent and not required. */
function text(value: unknown, name: string, required: boolean): string | null {
  if (value === undefined && !required) return null;
  if (typeof value !== 'string' || value.trim() === '') {
    throw optionError(`${name} must be a non-empty string${required ? '' : ' when set'}`, describe(value));
  }
  if (value !== value.trim()) throw optionError(`${name} must not have surrounding white space`, show(value));
  xmlSafe(value, name);
  return value;
}

function list(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw optionError(`${name} must be an array of strings`, describe(value));
  return value.map((v, i) => text(v, `${name}[${i}]`, true) as string);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function optionError(expected: string, got: string): SamlError {
  return new SamlError('CONFIG_INVALID', `Invalid SP metadata option: ${expected}; got ${got}.`);
}
