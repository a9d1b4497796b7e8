/**
 * The IdP certificates from the configuration → public keys of the crypto backend. These are the
 * only keys a signature is ever checked with: KeyInfo in a response is never read (KeyInfo
 * substitution).
 * Each certificate is parsed once and each (certificate, hash) key imported once, then cached.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { importRsaPublicKey, type HashName, type RsaPublicKey } from '#crypto-backend';
import { decodeBase64, encodeBase64 } from './base64.js';
import { PromiseCache } from './cache.js';
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
const byPem = new PromiseCache<VerificationKey>(MAX_CACHED);

/** Parse and check the configured certificates; cached by their text, so any config object benefits. */
export function loadVerificationKeys(pems: readonly string[], minRsaKeyBits: number, field = 'idp.certificates'): Promise<VerificationKey[]> {
  return Promise.all(
    pems.map(async (pem, index) => {
      const key = await cachedKey(pem, `${field}[${index}]`);
      if (key.modulusBits < minRsaKeyBits) {
        throw new SamlError(
          'CONFIG_INVALID',
          `Invalid configuration: ${field}[${index}] (${key.subject}) has a ${key.modulusBits}-bit RSA key; at least ${minRsaKeyBits} bits are required.`,
          'Have the IdP issue a 2048-bit (or larger) signing certificate, or lower policy.minRsaKeyBits knowingly.',
        );
      }
      return key;
    }),
  );
}

function cachedKey(pem: string, name: string): Promise<VerificationKey> {
  return byPem.get(pem, () => importCertificate(pem, name));
}

async function importCertificate(pem: string, name: string): Promise<VerificationKey> {
  const parsed = certificateDer(pem);
  if ('problem' in parsed) throw certificateError(name, parsed.problem);
  const { der, certificate } = parsed;
  const spki = certificate.tbsCertificate.subjectPublicKeyInfo;
  if (spki.algorithm.algorithm !== RSA_ENCRYPTION) {
    throw certificateError(name, `has a key of algorithm ${spki.algorithm.algorithm}; only RSA signing certificates are supported`);
  }
  const spkiDer = AsnConvert.serialize(spki);
  const issuer = distinguishedName(certificate.tbsCertificate.issuer);
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
    throw certificateError(name, 'has an RSA public key that cannot be imported');
  }
  return { ...(await certificateFacts(der, certificate)), issuer: issuer || '(no issuer)', modulusBits: probe.modulusBits, key };
}

/** SHA-256 of a certificate's DER, uppercase hex pairs joined by colons (as admin consoles show it). */
export async function sha256Fingerprint(der: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return Array.from(digest, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** A certificate as a message names it: never a key, only what an admin compares. */
export interface CertificateFacts {
  sha256Fingerprint: string;
  subject: string;
  notBefore: number;
  notAfter: number;
}

/**
 * What a certificate a document carries (a Signature's KeyInfo) says of itself, for messages only:
 * it is never used as a key (keys come from the configuration). null when it is no certificate.
 */
export async function describeCertificate(base64: string): Promise<CertificateFacts | null> {
  const parsed = certificateDer(base64.replace(/[ \t\r\n]/g, ''));
  return 'problem' in parsed ? null : certificateFacts(parsed.der, parsed.certificate);
}

/** The one reading of a certificate's fingerprint, subject and validity (configured or carried). */
async function certificateFacts(der: Uint8Array<ArrayBuffer>, certificate: Certificate): Promise<CertificateFacts> {
  const { subject, validity } = certificate.tbsCertificate;
  return {
    sha256Fingerprint: await sha256Fingerprint(der),
    subject: distinguishedName(subject) || '(no subject)',
    notBefore: validity.notBefore.getTime().getTime(),
    notAfter: validity.notAfter.getTime().getTime(),
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

/**
 * What an admin pastes (or an IdP's metadata holds) → the certificate's DER, or the mistake named.
 * Accepted: one PEM block (CRLF, indentation, trailing spaces, text before or after it), the base64
 * body alone (Entra ID's "Certificate (Base64)"), or DER bytes (Entra ID's "Certificate (Raw)").
 * Refused with what it is instead: several certificates, a private key, a CSR, a public key, a
 * truncated block or DER, anything that is not one X.509 certificate.
 */
export function certificateDer(input: string | Uint8Array): { der: Uint8Array<ArrayBuffer>; certificate: Certificate } | { problem: string } {
  let der: Uint8Array<ArrayBuffer> | null;
  if (input instanceof Uint8Array) {
    // DER starts with a SEQUENCE tag; anything else is taken for a PEM or base64 file read as bytes.
    if (input[0] === 0x30) der = new Uint8Array(input);
    else {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(input);
      } catch {
        return { problem: 'is neither DER (a certificate file starts with byte 0x30) nor PEM text' };
      }
      return certificateDer(text);
    }
  } else if (typeof input === 'string') {
    const text = input.replace(/^\uFEFF/, '').trim();
    if (text === '') return { problem: 'is empty' };
    let body = text;
    if (text.includes('-----BEGIN')) {
      const labels = [...text.matchAll(/-----BEGIN ([^-\r\n]*)-----/g)].map((m) => m[1] as string);
      const unwanted = labels.find((label) => label !== 'CERTIFICATE' && label !== 'X509 CERTIFICATE');
      if (unwanted !== undefined) return { problem: `is ${labelName(unwanted)}; expected "-----BEGIN CERTIFICATE-----"` };
      if (labels.length > 1) {
        return { problem: `holds ${labels.length} certificates; put one certificate per entry (idp.certificates takes an array of PEM certificates, for a rollover)` };
      }
      const match = /-----BEGIN (X509 )?CERTIFICATE-----([\s\S]*?)-----END (X509 )?CERTIFICATE-----/.exec(text);
      if (match === null) return { problem: 'is a truncated PEM block: "-----BEGIN CERTIFICATE-----" has no matching "-----END CERTIFICATE-----" line' };
      body = match[2] as string;
    } else if (text.includes('-----END')) {
      return { problem: 'is a truncated PEM block: it has an END line but no "-----BEGIN CERTIFICATE-----"' };
    }
    der = decodeBase64(body);
    if (der === null) return { problem: 'is not a certificate: its body is not valid base64 (a character is missing, extra or mistyped)' };
  } else {
    return { problem: `must be a PEM certificate (string) or DER bytes (Uint8Array); got ${input === null ? 'null' : typeof input}` };
  }
  const declared = derLength(der);
  if (declared !== null && declared > der.length) return { problem: `is truncated: its DER declares ${declared} bytes and ${der.length} came` };
  try {
    const certificate = AsnConvert.parse(der, Certificate);
    if (declared !== der.length) return { problem: `has ${der.length - (declared ?? 0)} bytes after the certificate` };
    return { der, certificate };
  } catch {
    return { problem: 'is not a parsable X.509 certificate (the DER is damaged, or is another kind of object, such as a key)' };
  }
}

/** The total length a DER SEQUENCE header declares, or null when there is no readable header. */
function derLength(der: Uint8Array): number | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  const first = der[1] as number;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] as number);
  return 2 + count + length;
}

function labelName(label: string): string {
  if (label.includes('PRIVATE KEY')) return 'a private key (never share it: paste the certificate instead)';
  if (label.includes('CERTIFICATE REQUEST')) return 'a certificate signing request (CSR), not the certificate the IdP signs with';
  if (label.includes('PUBLIC KEY')) return 'a bare public key; the certificate that holds it is expected';
  return `a PEM "${label}" block`;
}

/** PEM of a DER certificate: 64-character lines (RFC 7468). */
export function derToPem(der: Uint8Array): string {
  const body = encodeBase64(der).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/** The hint of every certificate mistake. */
export const PASTE_CERTIFICATE = idpHint('Paste the IdP signing certificate in PEM form', '"X.509 Certificate"', '"Certificate (Base64)"', '.');

function certificateError(name: string, problem: string): SamlError {
  return new SamlError('CONFIG_INVALID', `Invalid configuration: ${name} ${problem}.`, PASTE_CERTIFICATE);
}
