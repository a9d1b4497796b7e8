/**
 * The IdP certificates from the configuration → public keys of the crypto backend. These are the
 * only keys a signature is ever checked with: KeyInfo in a response is never read (KeyInfo
 * substitution).
 * Each certificate is parsed once and each (certificate, hash) key imported once, then cached.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { importRsaPublicKey, type HashName, type RsaPublicKey } from '#crypto-backend';
import { decodeBase64 } from './base64.js';
import { SamlError, idpHint } from './errors.js';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

export type { HashName, RsaPublicKey };

export interface VerificationKey {
  /** Subject of the certificate, for messages. */
  subject: string;
  issuer: string;
  modulusBits: number;
  /** SHA-256 of the certificate's DER, uppercase hex pairs joined by colons (as admin consoles show it). */
  sha256Fingerprint: string;
  /** Validity, in ms since the epoch. */
  notBefore: number;
  notAfter: number;
  /** An imported key per hash (WebCrypto binds the hash at import). */
  key(hash: HashName): Promise<RsaPublicKey>;
}

const MAX_CACHED = 256;
const byPem = new Map<string, Promise<VerificationKey>>();

/** Parse and check the configured certificates; cached by their text, so any config object benefits. */
export function loadVerificationKeys(pems: readonly string[], minRsaKeyBits: number): Promise<VerificationKey[]> {
  return Promise.all(
    pems.map(async (pem, index) => {
      const key = await cachedKey(pem, index);
      if (key.modulusBits < minRsaKeyBits) {
        throw new SamlError(
          'CONFIG_INVALID',
          `Invalid configuration: idp.certificates[${index}] (${key.subject}) has a ${key.modulusBits}-bit RSA key; at least ${minRsaKeyBits} bits are required.`,
          'Have the IdP issue a 2048-bit (or larger) signing certificate, or lower policy.minRsaKeyBits knowingly.',
        );
      }
      return key;
    }),
  );
}

function cachedKey(pem: string, index: number): Promise<VerificationKey> {
  let entry = byPem.get(pem);
  if (entry === undefined) {
    entry = importCertificate(pem, index);
    if (byPem.size >= MAX_CACHED) byPem.delete(byPem.keys().next().value as string);
    byPem.set(pem, entry);
    // A failed import is not cached: the next call reports the same error afresh.
    entry.catch(() => byPem.delete(pem));
  }
  return entry;
}

async function importCertificate(pem: string, index: number): Promise<VerificationKey> {
  const der = pemToDer(pem, index);
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch {
    throw certificateError(index, 'is not a parsable X.509 certificate (the DER inside the PEM is damaged or truncated)');
  }
  const spki = certificate.tbsCertificate.subjectPublicKeyInfo;
  if (spki.algorithm.algorithm !== RSA_ENCRYPTION) {
    throw certificateError(index, `has a key of algorithm ${spki.algorithm.algorithm}; only RSA signing certificates are supported`);
  }
  const spkiDer = AsnConvert.serialize(spki);
  const subject = distinguishedName(certificate.tbsCertificate.subject);
  const issuer = distinguishedName(certificate.tbsCertificate.issuer);
  const validity = certificate.tbsCertificate.validity;
  const notBefore = validity.notBefore.getTime().getTime();
  const notAfter = validity.notAfter.getTime().getTime();
  const fingerprint = new Uint8Array(await crypto.subtle.digest('SHA-256', der as Uint8Array<ArrayBuffer>));
  const imported = new Map<HashName, Promise<RsaPublicKey>>();
  const key = (hash: HashName): Promise<RsaPublicKey> => {
    let k = imported.get(hash);
    if (k === undefined) {
      k = importRsaPublicKey(spkiDer, hash);
      imported.set(hash, k);
    }
    return k;
  };
  let probe: RsaPublicKey;
  try {
    probe = await key('SHA-256');
  } catch {
    throw certificateError(index, 'has an RSA public key that cannot be imported');
  }
  return {
    subject: subject || '(no subject)',
    issuer: issuer || '(no issuer)',
    modulusBits: probe.modulusBits,
    sha256Fingerprint: Array.from(fingerprint, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':'),
    notBefore,
    notAfter,
    key,
  };
}

function distinguishedName(name: Certificate['tbsCertificate']['subject']): string {
  return name.map((rdn) => rdn.map((a) => `${ATTRIBUTE_NAMES[a.type] ?? a.type}=${a.value.toString()}`).join('+')).join(', ');
}

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function pemToDer(pem: string, index: number): Uint8Array {
  const text = pem.trim();
  let body = text;
  if (text.startsWith('-----BEGIN')) {
    const blocks = text.split('-----BEGIN').length - 1;
    if (blocks > 1) throw certificateError(index, `holds ${blocks} PEM blocks; put one certificate per entry (an array of PEMs for a rollover)`);
    const match = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----$/.exec(text);
    if (match === null) throw certificateError(index, 'is not one well-formed PEM block (BEGIN and END lines must match, with one certificate per entry)');
    if (match[1] !== 'CERTIFICATE') {
      const what = (match[1] as string).includes('PRIVATE') ? 'a private key (never share it; paste the certificate instead)' : `a PEM "${match[1]}" block`;
      throw certificateError(index, `is ${what}; expected "-----BEGIN CERTIFICATE-----"`);
    }
    body = match[2] as string;
  }
  const der = decodeBase64(body);
  if (der === null) throw certificateError(index, 'is not a PEM certificate: its body is not valid base64');
  return der;
}

function certificateError(index: number, problem: string): SamlError {
  return new SamlError(
    'CONFIG_INVALID',
    `Invalid configuration: idp.certificates[${index}] ${problem}.`,
    idpHint('Paste the IdP signing certificate in PEM form', '"X.509 Certificate"', '"Certificate (Base64)"', '.'),
  );
}
