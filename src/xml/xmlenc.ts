/**
 * XML Encryption (xmlenc-core 1.1) of a SAML EncryptedAssertion, as a strict profile, in every
 * runtime: RSA-OAEP key transport on WebCrypto; AES-CBC with XML Encryption's ISO 10126 padding and
 * AES-GCM on @noble/ciphers (WebCrypto's AES-CBC insists on PKCS#7 padding, which XML Encryption
 * senders do not write, so it fails on most honest last blocks; Chromium's WebCrypto has no AES-192);
 * 3DES-CBC (only with policy.allowTripleDes) on des.js.
 *
 * The shape is checked before any crypto: one EncryptedData of Type Element, its key in an
 * EncryptedKey inside its KeyInfo or in a sibling EncryptedKey named by a same-document
 * RetrievalMethod or by KeyName/CarriedKeyName, ciphertext inline. Nothing external is followed.
 * From the first cryptographic step on, every failure (wrong key, padding, tag, length, a
 * plaintext that is not one well-formed saml:Assertion) is the same DECRYPTION_FAILED, so none is
 * distinguishable from another (Jager & Somorovsky's attacks read exactly such differences).
 */
import type { Element } from '@xmldom/xmldom';
import { cbc, gcm } from '@noble/ciphers/aes.js';
import des from 'des.js';
import { decodeBase64 } from '../base64.js';
import { SamlError, idpHint, show } from '../errors.js';
import type { DecryptionKey, OaepHash } from '../private-keys.js';
import type { XmlLimits } from '../types.js';
import { NS, attr, childElements, textOf } from './dom.js';
import { RESPONSE, parseXml } from './parse.js';

const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const XENC11 = 'http://www.w3.org/2009/xmlenc11#';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

interface ContentAlgorithm {
  mode: 'cbc' | 'gcm' | 'des';
  keyBytes: number;
}

const CONTENT: Readonly<Record<string, ContentAlgorithm>> = {
  [`${XENC}aes128-cbc`]: { mode: 'cbc', keyBytes: 16 },
  [`${XENC}aes192-cbc`]: { mode: 'cbc', keyBytes: 24 },
  [`${XENC}aes256-cbc`]: { mode: 'cbc', keyBytes: 32 },
  [`${XENC11}aes128-gcm`]: { mode: 'gcm', keyBytes: 16 },
  [`${XENC11}aes192-gcm`]: { mode: 'gcm', keyBytes: 24 },
  [`${XENC11}aes256-gcm`]: { mode: 'gcm', keyBytes: 32 },
  [`${XENC}tripledes-cbc`]: { mode: 'des', keyBytes: 24 },
};

const OAEP_DIGESTS: Readonly<Record<string, OaepHash>> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'SHA-1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

const MGF: Readonly<Record<string, OaepHash>> = {
  [`${XENC11}mgf1sha1`]: 'SHA-1',
  [`${XENC11}mgf1sha256`]: 'SHA-256',
  [`${XENC11}mgf1sha384`]: 'SHA-384',
  [`${XENC11}mgf1sha512`]: 'SHA-512',
};

export const KEY_TRANSPORT = {
  oaepMgf1p: `${XENC}rsa-oaep-mgf1p`,
  oaep: `${XENC11}rsa-oaep`,
  rsa15: `${XENC}rsa-1_5`,
} as const;

export interface DecryptionSettings {
  keys: readonly DecryptionKey[];
  allowTripleDes: boolean;
  limits: XmlLimits;
}

/** What the shape check found: everything the crypto needs, read before any of it runs. */
interface EncryptedParts {
  content: ContentAlgorithm;
  cipherValue: string;
  oaepHash: OaepHash;
  label: Uint8Array<ArrayBuffer> | null;
  keyCipherValue: string;
}

/**
 * The saml:Assertion inside `encrypted` (an EncryptedAssertion), decrypted and parsed by the one
 * strict parser in the EncryptedAssertion's namespace context. The element belongs to a document of
 * its own; the caller puts it in the EncryptedAssertion's place.
 */
export async function decryptAssertion(encrypted: Element, settings: DecryptionSettings): Promise<Element> {
  const parts = encryptedParts(encrypted, settings);
  const plaintext = await decryptBytes(parts, settings.keys);
  return parsePlaintext(plaintext, encrypted, settings);
}

function encryptedParts(encrypted: Element, settings: DecryptionSettings): EncryptedParts {
  const elements = childElements(encrypted);
  const data = elements.filter((e) => isXenc(e, 'EncryptedData'));
  const others = elements.filter((e) => !isXenc(e, 'EncryptedData') && !isXenc(e, 'EncryptedKey'));
  if (data.length !== 1 || others.length > 0) {
    throw structure(`one xenc:EncryptedData and EncryptedKey elements in the EncryptedAssertion; found ${elements.map((e) => show(e.nodeName)).join(', ') || 'nothing'}`);
  }
  const encryptedData = data[0] as Element;
  const siblings = elements.filter((e) => isXenc(e, 'EncryptedKey'));
  if (attr(encryptedData, 'Type') !== `${XENC}Element`) {
    throw structure(`EncryptedData of Type ${show(`${XENC}Element`)}; got Type ${show(attr(encryptedData, 'Type'))}`);
  }
  const [method, keyInfo, cipherData, ...rest] = childElements(encryptedData);
  if (!isXenc(method, 'EncryptionMethod') || !isDs(keyInfo, 'KeyInfo') || !isXenc(cipherData, 'CipherData') || rest.length > 0) {
    throw structure('EncryptionMethod, ds:KeyInfo and CipherData, in this order, in the EncryptedData');
  }
  const algorithm = attr(method, 'Algorithm') ?? '';
  const content = CONTENT[algorithm];
  if (content === undefined) throw notAllowed(`The EncryptedData uses ${show(algorithm)}; accepted: AES-128/192/256-GCM, AES-128/192/256-CBC (and tripledes-cbc with policy.allowTripleDes).`);
  if (content.mode === 'des' && !settings.allowTripleDes) {
    throw notAllowed('The EncryptedData uses tripledes-cbc (3DES, a 64-bit block cipher); it is refused unless policy.allowTripleDes is true.', 'Have the IdP encrypt with AES (AES-256-GCM or AES-256-CBC), or set policy.allowTripleDes to true knowingly.');
  }
  if (childElements(method).length > 0) throw structure('no child elements in the EncryptedData\'s EncryptionMethod');
  const encryptedKey = referencedKey(keyInfo, siblings);
  return { content, cipherValue: cipherValueOf(cipherData, 'EncryptedData'), ...keyTransport(encryptedKey) };
}

/** The EncryptedKey the EncryptedData's KeyInfo names: inside it, or a sibling by RetrievalMethod or KeyName. */
function referencedKey(keyInfo: Element, siblings: Element[]): Element {
  const entries = childElements(keyInfo);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    throw structure(`exactly one EncryptedKey, RetrievalMethod or KeyName in the EncryptedData's KeyInfo; found ${entries.length} elements`);
  }
  let found: Element[];
  if (isXenc(entry, 'EncryptedKey')) {
    if (siblings.length > 0) throw structure('the EncryptedKey either inside the EncryptedData\'s KeyInfo or beside it, not both');
    return entry;
  } else if (isDs(entry, 'RetrievalMethod')) {
    const uri = attr(entry, 'URI') ?? '';
    if (!uri.startsWith('#') || uri.length < 2) throw structure(`a same-document RetrievalMethod URI ("#" + an EncryptedKey's Id); got ${show(uri)}: nothing outside the document is fetched`);
    const type = attr(entry, 'Type');
    if ((type !== null && type !== `${XENC}EncryptedKey`) || childElements(entry).length > 0) {
      throw structure('a RetrievalMethod of Type xenc#EncryptedKey without Transforms');
    }
    found = siblings.filter((k) => attr(k, 'Id') === uri.slice(1));
  } else if (isDs(entry, 'KeyName')) {
    const name = textOf(entry);
    found = siblings.filter((k) => childElements(k).some((c) => isXenc(c, 'CarriedKeyName') && textOf(c) === name));
  } else {
    throw structure(`an EncryptedKey, RetrievalMethod or KeyName in the EncryptedData's KeyInfo; found ${show((entry as Element).nodeName)}`);
  }
  if (found.length !== 1 || siblings.length !== 1) {
    throw structure(`exactly one EncryptedKey beside the EncryptedData, the one its KeyInfo names; found ${siblings.length}, ${found.length} of them named`);
  }
  return found[0] as Element;
}

const KEY_CHILDREN = ['EncryptionMethod', 'KeyInfo', 'CipherData', 'ReferenceList', 'CarriedKeyName'];

function keyTransport(encryptedKey: Element): Omit<EncryptedParts, 'content' | 'cipherValue'> {
  const children = childElements(encryptedKey);
  const unknown = children.find((c) => !KEY_CHILDREN.includes(c.localName ?? '') || c.namespaceURI !== (c.localName === 'KeyInfo' ? NS.dsig : XENC));
  if (unknown !== undefined) throw structure(`EncryptionMethod, KeyInfo, CipherData, ReferenceList and CarriedKeyName in the EncryptedKey; found ${show(unknown.nodeName)}`);
  const method = one(children, 'EncryptionMethod');
  const algorithm = attr(method, 'Algorithm') ?? '';
  if (algorithm === KEY_TRANSPORT.rsa15) {
    throw notAllowed(
      'The EncryptedKey uses RSA PKCS#1 v1.5 key transport (xmlenc#rsa-1_5), which saml-core never decrypts: its padding check is an oracle that recovers the key (Bleichenbacher; the Marvin attack, CVE-2023-46809), and no runtime offers a safe decryption.',
      idpHint('Have the IdP wrap the key with RSA-OAEP', 'Key Transport Algorithm = RSA-OAEP', 'RSA-OAEP is the default', '.'),
    );
  }
  if (algorithm !== KEY_TRANSPORT.oaepMgf1p && algorithm !== KEY_TRANSPORT.oaep) {
    throw notAllowed(`The EncryptedKey uses ${show(algorithm)}; accepted: RSA-OAEP (xmlenc#rsa-oaep-mgf1p, xmlenc11#rsa-oaep).`);
  }
  let digest: OaepHash = 'SHA-1';
  let mgf: OaepHash = 'SHA-1';
  let label: Uint8Array<ArrayBuffer> | null = null;
  for (const param of childElements(method)) {
    const uri = attr(param, 'Algorithm') ?? '';
    if (isDs(param, 'DigestMethod') && OAEP_DIGESTS[uri] !== undefined) digest = OAEP_DIGESTS[uri];
    else if (algorithm === KEY_TRANSPORT.oaep && param.localName === 'MGF' && param.namespaceURI === XENC11 && MGF[uri] !== undefined) mgf = MGF[uri];
    else if (isXenc(param, 'OAEPparams')) {
      label = decodeBase64(textOf(param));
      if (label === null) throw structure('OAEPparams in base64');
    } else throw notAllowed(`The EncryptedKey's RSA-OAEP has parameter ${show((param as Element).nodeName)} ${show(uri)}; accepted: a SHA-1/256/384/512 DigestMethod, an xmlenc11 MGF1, OAEPparams.`);
  }
  // rsa-oaep-mgf1p fixes MGF1 to SHA-1 by name; senders with a SHA-256 DigestMethod (xml-encryption,
  // hence node-saml- and samlify-based IdPs) use SHA-256 for both, as WebCrypto does: that is read here.
  if (algorithm === KEY_TRANSPORT.oaepMgf1p) mgf = digest;
  if (mgf !== digest) {
    throw notAllowed(`The EncryptedKey's RSA-OAEP uses ${digest} for the digest and MGF1 with ${mgf}; WebCrypto does RSA-OAEP with one hash for both, so only matching pairs are accepted.`);
  }
  return { oaepHash: digest, label, keyCipherValue: cipherValueOf(one(children, 'CipherData'), 'EncryptedKey') };
}

function one(children: Element[], localName: string): Element {
  const found = children.filter((c) => isXenc(c, localName));
  if (found.length !== 1) throw structure(`one ${localName} in the EncryptedKey; found ${found.length}`);
  return found[0] as Element;
}

/** The inline ciphertext: CipherData holds one CipherValue (a CipherReference would fetch from elsewhere). */
function cipherValueOf(cipherData: Element, where: string): string {
  const [value, ...rest] = childElements(cipherData);
  if (!isXenc(value, 'CipherValue') || rest.length > 0) {
    throw structure(`one CipherValue in the ${where}'s CipherData (the ciphertext inline; nothing outside the document is fetched); found ${show((value as Element | undefined)?.nodeName)}`);
  }
  return textOf(value);
}

/** From here on every failure is the same DECRYPTION_FAILED. */
async function decryptBytes(parts: EncryptedParts, keys: readonly DecryptionKey[]): Promise<Uint8Array> {
  const wrapped = decodeBase64(parts.keyCipherValue);
  const ciphertext = decodeBase64(parts.cipherValue);
  if (wrapped === null || ciphertext === null) throw decryptionFailed();
  const contentKey = await unwrapKey(parts, wrapped, keys);
  if (contentKey === null || contentKey.length !== parts.content.keyBytes) throw decryptionFailed();
  try {
    if (parts.content.mode === 'gcm') return decryptGcm(contentKey, ciphertext);
    return unpad(parts.content.mode === 'cbc' ? decryptAesCbc(contentKey, ciphertext) : decryptDesCbc(contentKey, ciphertext), parts.content.mode === 'cbc' ? 16 : 8);
  } catch {
    throw decryptionFailed();
  }
}

/** The content key, unwrapped with the first configured key that opens it (a rollover tries each). */
async function unwrapKey(parts: EncryptedParts, wrapped: Uint8Array<ArrayBuffer>, keys: readonly DecryptionKey[]): Promise<Uint8Array<ArrayBuffer> | null> {
  const algorithm: RsaOaepParams = parts.label === null ? { name: 'RSA-OAEP' } : { name: 'RSA-OAEP', label: parts.label };
  for (const key of keys) {
    try {
      return new Uint8Array(await crypto.subtle.decrypt(algorithm, await key.key(parts.oaepHash), wrapped));
    } catch {
      // not this key: the next one
    }
  }
  return null;
}

/**
 * IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes, the only length noble's GCM takes), xmlenc-core1
 * 5.2.4. On @noble/ciphers rather than WebCrypto: Chromium's WebCrypto has no 192-bit AES keys, and
 * the same code must give the same verdict in every runtime.
 */
function decryptGcm(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 12 + 16) throw new Error('short');
  return gcm(key, data.subarray(0, 12)).decrypt(data.subarray(12));
}

/** IV (one block) ‖ ciphertext, a whole number of blocks, at least one. */
function blocks(data: Uint8Array, size: number): { iv: Uint8Array; body: Uint8Array } {
  if (data.length < 2 * size || data.length % size !== 0) throw new Error('length');
  return { iv: data.subarray(0, size), body: data.subarray(size) };
}

function decryptAesCbc(key: Uint8Array, data: Uint8Array): Uint8Array {
  const { iv, body } = blocks(data, 16);
  return cbc(key, iv, { disablePadding: true }).decrypt(body);
}

function decryptDesCbc(key: Uint8Array, data: Uint8Array): Uint8Array {
  const { iv, body } = blocks(data, 8);
  const decipher = des.CBC.instantiate(des.EDE).create({ type: 'decrypt', key, iv, padding: false });
  return Uint8Array.from([...decipher.update(body), ...decipher.final()]);
}

/** ISO 10126 padding (xmlenc-core1 5.2): only the last byte is read, the pad length 1..block. */
function unpad(plain: Uint8Array, size: number): Uint8Array {
  const pad = plain[plain.length - 1] as number;
  if (pad < 1 || pad > size) throw new Error('padding');
  return plain.subarray(0, plain.length - pad);
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8 XML of one saml:Assertion, parsed by the one strict parser under the same limits (its size
 * is bounded by policy.maxBodyBytes: the plaintext is shorter than the base64 ciphertext), inside
 * an element declaring every namespace in scope at the EncryptedAssertion, so a prefix declared on
 * the Response still resolves.
 */
function parsePlaintext(plaintext: Uint8Array, encrypted: Element, settings: DecryptionSettings): Element {
  try {
    const text = decoder.decode(plaintext);
    const { root: wrapper } = parseXml(`<saml-core-plaintext${namespaceContext(encrypted)}>${text}</saml-core-plaintext>`, settings.limits, RESPONSE);
    let assertion: Element | null = null;
    for (let n = wrapper.firstChild; n !== null; n = n.nextSibling) {
      const element = n as Element;
      if (n.nodeType === 1 && assertion === null && element.localName === 'Assertion' && element.namespaceURI === NS.assertion) assertion = element;
      else if (n.nodeType !== 3 || /\S/.test((n as unknown as { data: string }).data)) throw new Error('content');
    }
    if (assertion === null) throw new Error('no assertion');
    return assertion;
  } catch {
    throw decryptionFailed();
  }
}

/** ` xmlns:p="uri"` for every namespace binding in scope at `element` (the nearest declaration wins). */
function namespaceContext(element: Element): string {
  const bindings = new Map<string, string>();
  for (let e: Element | null = element; e !== null && e.nodeType === 1; e = e.parentNode as Element | null) {
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes.item(i);
      if (a === null || a.namespaceURI !== XMLNS) continue;
      const prefix = a.prefix === 'xmlns' ? (a.localName ?? '') : '';
      if (!bindings.has(prefix)) bindings.set(prefix, a.value);
    }
  }
  let out = '';
  for (const [prefix, uri] of bindings) {
    if (prefix === '' && uri === '') continue;
    out += ` ${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${uri.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}"`;
  }
  return out;
}

function isXenc(element: Element | undefined, localName: string): element is Element {
  return element !== undefined && element.localName === localName && element.namespaceURI === XENC;
}

function isDs(element: Element | undefined, localName: string): element is Element {
  return element !== undefined && element.localName === localName && element.namespaceURI === NS.dsig;
}

function structure(expected: string): SamlError {
  return new SamlError('INVALID_ASSERTION', `Expected ${expected}.`);
}

function notAllowed(message: string, hint?: string | ReturnType<typeof idpHint>): SamlError {
  return new SamlError('ALGORITHM_NOT_ALLOWED', message, hint);
}

/** The one message for every decryption failure. */
export function decryptionFailed(): SamlError {
  return new SamlError(
    'DECRYPTION_FAILED',
    'The EncryptedAssertion could not be decrypted into one saml:Assertion with the configured sp.decryptionKeys.',
    'Check that the IdP encrypts to the certificate of one of sp.decryptionKeys (after a key rollover, configure both keys), and that the response is not damaged.',
  );
}
