// The few node:crypto signatures src/node/crypto-backend.ts uses. The project compiles without
// @types/node on purpose (types: []), so that no core module can reach for Buffer or process.
declare module 'node:crypto' {
  export interface KeyObject {
    readonly asymmetricKeyType?: string;
    readonly asymmetricKeyDetails?: { modulusLength?: number };
  }
  export function createPublicKey(key: { key: Uint8Array; format: 'der'; type: 'spki' }): KeyObject;
  export interface Hash {
    update(data: string, encoding: 'utf8'): Hash;
    digest(): Uint8Array;
  }
  export function createHash(algorithm: string): Hash;
  export function createVerify(algorithm: string): { update(data: string, encoding: 'utf8'): { verify(key: KeyObject, signature: Uint8Array): boolean } };
}
