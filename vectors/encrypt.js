// XML Encryption of an Assertion the way IdPs write it, for the generated vectors and the tests:
// node:crypto (OpenSSL) does the cryptography, this file only the XML around it. Okta's shape puts
// the EncryptedKey beside the EncryptedData, named by a ds:RetrievalMethod; Entra ID's (and AD FS')
// puts it inside the EncryptedData's KeyInfo; `keyname` names a sibling by KeyName/CarriedKeyName.
import { X509Certificate, createCipheriv, createHash, publicEncrypt, constants } from 'node:crypto';

export const XENC = 'http://www.w3.org/2001/04/xmlenc#';
export const XENC11 = 'http://www.w3.org/2009/xmlenc11#';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

export const CONTENT = {
  'aes128-cbc': { uri: `${XENC}aes128-cbc`, cipher: 'aes-128-cbc', key: 16, iv: 16, block: 16 },
  'aes192-cbc': { uri: `${XENC}aes192-cbc`, cipher: 'aes-192-cbc', key: 24, iv: 16, block: 16 },
  'aes256-cbc': { uri: `${XENC}aes256-cbc`, cipher: 'aes-256-cbc', key: 32, iv: 16, block: 16 },
  'aes128-gcm': { uri: `${XENC11}aes128-gcm`, cipher: 'aes-128-gcm', key: 16, iv: 12 },
  'aes192-gcm': { uri: `${XENC11}aes192-gcm`, cipher: 'aes-192-gcm', key: 24, iv: 12 },
  'aes256-gcm': { uri: `${XENC11}aes256-gcm`, cipher: 'aes-256-gcm', key: 32, iv: 12 },
  'tripledes-cbc': { uri: `${XENC}tripledes-cbc`, cipher: 'des-ede3-cbc', key: 24, iv: 8, block: 8 },
};

export const TRANSPORT = {
  // rsa-oaep-mgf1p: MGF1 with SHA-1 by name, SHA-1 digest.
  'rsa-oaep-mgf1p': { uri: `${XENC}rsa-oaep-mgf1p`, hash: 'sha1', digest: `${DS}sha1` },
  // xmlenc11#rsa-oaep with SHA-256 for both the digest and MGF1.
  'rsa-oaep-sha256': { uri: `${XENC11}rsa-oaep`, hash: 'sha256', digest: `${XENC}sha256`, mgf: `${XENC11}mgf1sha256` },
  'rsa-1_5': { uri: `${XENC}rsa-1_5` },
};

/** Deterministic bytes from a seed (the vectors stay reproducible, but for RSA-OAEP's own randomness). */
function bytes(seed, role, length) {
  const out = [];
  for (let i = 0; out.length < length; i++) out.push(...createHash('sha256').update(`${seed}/${role}/${i}`).digest());
  return Buffer.from(out.slice(0, length));
}

/** The ciphertext (IV ‖ ciphertext [‖ tag]) of `plaintext` with `key`, ISO 10126 padding for CBC. */
export function encryptContent(algorithm, key, plaintext, seed, forcedPadding) {
  const alg = CONTENT[algorithm];
  const iv = bytes(seed, 'iv', alg.iv);
  const cipher = createCipheriv(alg.cipher, key, iv);
  if (alg.block) {
    cipher.setAutoPadding(false);
    const pad = alg.block - (plaintext.length % alg.block);
    const padding = forcedPadding ?? Buffer.concat([bytes(seed, 'pad', pad - 1), Buffer.from([pad])]);
    return Buffer.concat([iv, cipher.update(Buffer.concat([plaintext, padding])), cipher.final()]);
  }
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function wrapKey(transport, certificatePem, key) {
  const t = TRANSPORT[transport];
  const publicKey = new X509Certificate(certificatePem).publicKey;
  if (transport === 'rsa-1_5') return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: t.hash }, key);
}

const certBase64 = (pem) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/**
 * An EncryptedAssertion holding `assertionXml` (a serialized saml:Assertion). Options: certificatePem
 * (the SP's encryption certificate), content, transport, shape ('okta' | 'azure'), placement
 * ('retrieval' | 'keyinfo' | 'keyname'; default: Okta retrieval, Entra keyinfo), seed (IDs, keys,
 * IVs), and the hooks plaintext/padding/ciphertext/wrappedKey/keyCipherValue/retrievalUri to build attacks.
 */
export function encryptedAssertion(assertionXml, options) {
  const { certificatePem, content = 'aes256-cbc', transport = 'rsa-oaep-mgf1p', shape = 'okta', seed = 'seed' } = options;
  const placement = options.placement ?? (shape === 'okta' ? 'retrieval' : 'keyinfo');
  const key = options.contentKey ?? bytes(seed, 'key', CONTENT[content].key);
  const plaintext = Buffer.isBuffer(options.plaintext) ? options.plaintext : Buffer.from(options.plaintext ?? assertionXml, 'utf8');
  let cipherValue = encryptContent(content, key, plaintext, seed, options.padding);
  if (options.ciphertext) cipherValue = options.ciphertext(cipherValue);
  let wrapped = wrapKey(transport, certificatePem, key);
  if (options.wrappedKey) wrapped = options.wrappedKey(wrapped);
  const t = TRANSPORT[transport];
  const dataId = `_${bytes(seed, 'data-id', 16).toString('hex')}`;
  const keyId = `_${bytes(seed, 'key-id', 16).toString('hex')}`;
  const keyName = 'app.example.com encryption key';
  const methodParams = t.digest ? `<ds:DigestMethod xmlns:ds="${DS}" Algorithm="${t.digest}"/>${t.mgf ? `<xenc11:MGF xmlns:xenc11="${XENC11}" Algorithm="${t.mgf}"/>` : ''}` : '';
  const encryptedKey = (attrs, tail = '') =>
    `<xenc:EncryptedKey xmlns:xenc="${XENC}"${attrs}><xenc:EncryptionMethod Algorithm="${t.uri}">${methodParams}</xenc:EncryptionMethod>` +
    `<ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${certBase64(certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${options.keyCipherValue ?? wrapped.toString('base64')}</xenc:CipherValue></xenc:CipherData>${tail}</xenc:EncryptedKey>`;
  const reference = options.retrievalUri ?? `#${keyId}`;
  let keyInfo;
  let sibling = '';
  if (placement === 'keyinfo') keyInfo = encryptedKey('');
  else if (placement === 'retrieval') {
    keyInfo = `<ds:RetrievalMethod Type="${XENC}EncryptedKey" URI="${reference}"/>`;
    sibling = encryptedKey(` Id="${keyId}"`, `<xenc:ReferenceList><xenc:DataReference URI="#${dataId}"/></xenc:ReferenceList>`);
  } else {
    keyInfo = `<ds:KeyName>${keyName}</ds:KeyName>`;
    sibling = encryptedKey(` Id="${keyId}"`, `<xenc:ReferenceList><xenc:DataReference URI="#${dataId}"/></xenc:ReferenceList><xenc:CarriedKeyName>${keyName}</xenc:CarriedKeyName>`);
  }
  const data =
    `<xenc:EncryptedData xmlns:xenc="${XENC}" Id="${dataId}" Type="${XENC}Element"><xenc:EncryptionMethod Algorithm="${CONTENT[content].uri}"/>` +
    `<ds:KeyInfo xmlns:ds="${DS}">${keyInfo}</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>${cipherValue.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>`;
  return shape === 'okta' ? `<saml2:EncryptedAssertion xmlns:saml2="${SAML}">${data}${sibling}</saml2:EncryptedAssertion>` : `<EncryptedAssertion xmlns="${SAML}">${data}${sibling}</EncryptedAssertion>`;
}
