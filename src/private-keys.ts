/**
 * The SP's decryption keys from the configuration (sp.decryptionKeys) → WebCrypto RSA-OAEP keys.
 * PEM PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`, wrapped into PKCS#8 here, since
 * WebCrypto imports PKCS#8 only), any line wrapping. Each PEM is imported once per hash (WebCrypto
 * binds the OAEP hash at import) and cached by its text, like the IdP certificates.
 */
import { decodeBase64 } from './base64.js';
import { PromiseCache } from './cache.js';
import { SamlError } from './errors.js';

export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface DecryptionKey {
  modulusBits: number;
  /** The key for RSA-OAEP with `hash` (digest and MGF1 both). */
  key(hash: OaepHash): Promise<CryptoKey>;
}

const MAX_CACHED = 64;
const byPem = new PromiseCache<DecryptionKey>(MAX_CACHED);

/** Parse, import and size-check the configured decryption keys. */
export function loadDecryptionKeys(pems: readonly string[], minRsaKeyBits: number): Promise<DecryptionKey[]> {
  return Promise.all(
    pems.map(async (pem, index) => {
      const key = await cachedKey(pem, index);
      if (key.modulusBits < minRsaKeyBits) {
        throw keyError(index, `is a ${key.modulusBits}-bit RSA key; at least ${minRsaKeyBits} bits are required (policy.minRsaKeyBits)`, 'Generate a 2048-bit (or larger) encryption key pair and give the IdP its certificate, or lower policy.minRsaKeyBits knowingly.');
      }
      return key;
    }),
  );
}

function cachedKey(pem: string, index: number): Promise<DecryptionKey> {
  return byPem.get(pem, () => importPrivateKey(pem, index));
}

async function importPrivateKey(pem: string, index: number): Promise<DecryptionKey> {
  const pkcs8 = pkcs8Of(pem, index);
  const imported = new Map<OaepHash, Promise<CryptoKey>>();
  const key = (hash: OaepHash): Promise<CryptoKey> => {
    let k = imported.get(hash);
    if (k === undefined) {
      k = crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash }, false, ['decrypt']);
      imported.set(hash, k);
    }
    return k;
  };
  let probe: CryptoKey;
  try {
    probe = await key('SHA-1');
  } catch {
    throw keyError(index, 'is not an RSA private key that can be imported (damaged DER, or a key of another algorithm)');
  }
  return { modulusBits: (probe.algorithm as RsaHashedKeyAlgorithm).modulusLength, key };
}

/** The PKCS#8 DER of a PEM private key; every other PEM kind is refused by name. */
function pkcs8Of(pem: string, index: number): Uint8Array<ArrayBuffer> {
  const text = typeof pem === 'string' ? pem.trim() : '';
  const blocks = text.split('-----BEGIN').length - 1;
  if (blocks > 1) throw keyError(index, `holds ${blocks} PEM blocks; put one key per entry (an array of PEMs for a rollover)`);
  const match = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----$/.exec(text);
  if (match === null) throw keyError(index, 'is not one well-formed PEM block (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----, with the matching END line)');
  const kind = match[1] as string;
  let body = match[2] as string;
  if (kind === 'CERTIFICATE' || kind.includes('PUBLIC KEY')) {
    throw keyError(index, `is ${kind === 'CERTIFICATE' ? 'a certificate' : 'a public key'}; decryption needs the SP's private key (the certificate is what the IdP gets)`);
  }
  if (kind === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(body)) {
    throw keyError(index, 'is an encrypted (passphrase-protected) PEM; saml-core takes the key unencrypted', 'Decrypt it once (openssl pkey -in key.pem -out plain.pem) and keep it in a secret store.');
  }
  if (kind !== 'PRIVATE KEY' && kind !== 'RSA PRIVATE KEY') throw keyError(index, `is a PEM "${kind}" block; expected "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1)`);
  if (/^[A-Za-z-]+:/m.test(body)) body = body.replace(/^[A-Za-z-]+:.*$/gm, '');
  const der = decodeBase64(body);
  if (der === null || der.length === 0) throw keyError(index, 'is not a PEM private key: its body is not valid base64');
  return kind === 'PRIVATE KEY' ? (der as Uint8Array<ArrayBuffer>) : wrapPkcs1(der);
}

/** PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING { RSAPrivateKey } } (RFC 5208). */
function wrapPkcs1(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const version = [0x02, 0x01, 0x00];
  const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const octets = [0x04, ...derLength(pkcs1.length)];
  const contentLength = version.length + algorithm.length + octets.length + pkcs1.length;
  const head = [0x30, ...derLength(contentLength), ...version, ...algorithm, ...octets];
  const out = new Uint8Array(head.length + pkcs1.length);
  out.set(head);
  out.set(pkcs1, head.length);
  return out;
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function keyError(index: number, problem: string, hint = 'Paste the SP\'s RSA private key in PEM form (-----BEGIN PRIVATE KEY-----), the one whose certificate the IdP encrypts to.'): SamlError {
  return new SamlError('CONFIG_INVALID', `Invalid configuration: sp.decryptionKeys[${index}] ${problem}.`, hint);
}
