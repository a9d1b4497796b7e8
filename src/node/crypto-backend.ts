/**
 * Node's crypto backend (chosen by the package's `#crypto-backend` import under the `node`
 * condition): the functions of src/crypto-backend.ts on node:crypto, synchronously. On Node,
 * WebCrypto hands every digest and verification to the thread pool and back, which for one
 * SAML login costs more than the hashing itself (see bench/README.md). Same results, same errors.
 */
import { createHash, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import type { HashName, RsaPublicKey } from '../crypto-backend.js';

const NODE_HASH: Readonly<Record<HashName, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export type { HashName, RsaPublicKey };

export async function importRsaPublicKey(spki: ArrayBuffer, hash: HashName): Promise<RsaPublicKey> {
  void hash; // a KeyObject is not bound to a hash
  const key = createPublicKey({ key: new Uint8Array(spki), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`not an RSA key: ${key.asymmetricKeyType}`);
  return { modulusBits: key.asymmetricKeyDetails?.modulusLength ?? 0, handle: key };
}

export async function digestText(hash: HashName, parts: readonly string[]): Promise<Uint8Array> {
  const digest = createHash(NODE_HASH[hash]);
  for (const part of parts) digest.update(part, 'utf8');
  return digest.digest();
}

export async function verifyRsaText(key: RsaPublicKey, hash: HashName, signature: Uint8Array<ArrayBuffer>, text: string): Promise<boolean> {
  return createVerify(NODE_HASH[hash]).update(text, 'utf8').verify(key.handle as KeyObject, signature);
}
