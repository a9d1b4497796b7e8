/**
 * The cryptography signature verification needs, on WebCrypto: SHA digests and RSASSA-PKCS1-v1_5
 * verification. This is the backend every runtime gets; on Node the package's `#crypto-backend`
 * import resolves to src/node/crypto-backend.ts instead, which does the same with node:crypto
 * synchronously (WebCrypto on Node runs each operation on the thread pool, which costs more than
 * the operation itself for one login). Both export exactly these functions.
 */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** An RSA public key, imported once per (certificate, hash). */
export interface RsaPublicKey {
  modulusBits: number;
  /** The backend's own key object. */
  handle: unknown;
}

const encoder = new TextEncoder();

/** Import a DER SubjectPublicKeyInfo as an RSA verification key for `hash`. Rejects when it is not one. */
export async function importRsaPublicKey(spki: ArrayBuffer, hash: HashName): Promise<RsaPublicKey> {
  const key = await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
  return { modulusBits: (key.algorithm as RsaHashedKeyAlgorithm).modulusLength, handle: key };
}

/** The `hash` digest of the concatenation of `parts`, encoded as UTF-8. */
export async function digestText(hash: HashName, parts: readonly string[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, utf8(parts)));
}

/** `parts` encoded as UTF-8 into one buffer (WebCrypto digests in one call). */
function utf8(parts: readonly string[]): Uint8Array<ArrayBuffer> {
  if (parts.length === 1) return encoder.encode(parts[0]);
  const encoded = parts.map((part) => encoder.encode(part));
  const bytes = new Uint8Array(encoded.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of encoded) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature by `key` of `text` encoded as UTF-8. */
export function verifyRsaText(key: RsaPublicKey, hash: HashName, signature: Uint8Array<ArrayBuffer>, text: string): Promise<boolean> {
  void hash; // bound into the key at import
  return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key.handle as CryptoKey, signature, encoder.encode(text));
}
