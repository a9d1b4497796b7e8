// The two crypto backends (WebCrypto everywhere, node:crypto on Node) must give the same answers:
// every runtime but Node runs the WebCrypto one, so it is tested here on the same inputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import * as web from '../dist/crypto-backend.js';
import * as node from '../dist/node/crypto-backend.js';

const read = (name) => readFileSync(new URL(`../vectors/keys/${name}`, import.meta.url), 'utf8');
const spkiOf = (keyOrPem) => {
  const der = createPublicKey(keyOrPem).export({ type: 'spki', format: 'der' });
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength);
};
const backends = { web, node };
const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const NODE_NAME = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

test('both backends give the same digest of UTF-8 text in parts, for every allowed hash', async () => {
  const texts = [[], [''], ['<a>plain</a>'], ['Zoë Ångström', '', ' — 名前 😀'], ['x'.repeat(100_000), 'y'.repeat(70_000)]];
  for (const hash of HASHES) {
    for (const parts of texts) {
      const [a, b] = [await web.digestText(hash, parts), await node.digestText(hash, parts)];
      assert.is(hex(a), hex(b), `${hash} of ${JSON.stringify(parts.join('').slice(0, 20))}`);
      assert.is(hex(a), hex(await web.digestText(hash, [parts.join('')])), `${hash}: parts digest as their concatenation`);
      assert.ok(a instanceof Uint8Array && b instanceof Uint8Array);
    }
  }
  assert.is(hex(await web.digestText('SHA-256', ['a', 'bc'])), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(hex(await node.digestText('SHA-256', ['ab', 'c'])), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('both backends read the modulus size of an imported RSA key', async () => {
  for (const [name, bits] of [['okta.crt.pem', 2048], ['small-1024.crt.pem', 1024]]) {
    for (const [label, backend] of Object.entries(backends)) {
      const key = await backend.importRsaPublicKey(spkiOf(read(name)), 'SHA-256');
      assert.is(key.modulusBits, bits, `${label} ${name}`);
    }
  }
});

test('both backends refuse a key that is not RSA, and bytes that are no key', async () => {
  const dsa = spkiOf(createPrivateKey(read('attacker-dsa.key.pem')));
  for (const [label, backend] of Object.entries(backends)) {
    await backend.importRsaPublicKey(dsa, 'SHA-256').then(() => assert.unreachable(`${label} imported a DSA key`), () => {});
    await backend.importRsaPublicKey(new Uint8Array([48, 3, 2, 1, 0]).buffer, 'SHA-256').then(() => assert.unreachable(`${label} imported garbage`), () => {});
  }
});

test('both backends verify an RSA PKCS#1 v1.5 signature of UTF-8 text and refuse every change', async () => {
  const privateKey = createPrivateKey(read('okta.key.pem'));
  const spki = spkiOf(read('okta.crt.pem'));
  const otherSpki = spkiOf(read('azure.crt.pem'));
  const text = '<ds:SignedInfo>Zoë 名前</ds:SignedInfo>';
  for (const hash of HASHES) {
    const signature = new Uint8Array(sign(NODE_NAME[hash], Buffer.from(text, 'utf8'), privateKey));
    const flipped = signature.slice();
    flipped[10] ^= 1;
    for (const [label, backend] of Object.entries(backends)) {
      const key = await backend.importRsaPublicKey(spki, hash);
      const other = await backend.importRsaPublicKey(otherSpki, hash);
      const what = `${label} ${hash}`;
      assert.is(await backend.verifyRsaText(key, hash, signature, text), true, `${what}: valid`);
      assert.is(await backend.verifyRsaText(key, hash, signature, `${text} `), false, `${what}: changed text`);
      assert.is(await backend.verifyRsaText(key, hash, flipped, text), false, `${what}: changed signature`);
      assert.is(await backend.verifyRsaText(key, hash, signature.slice(1), text), false, `${what}: short signature`);
      assert.is(await backend.verifyRsaText(other, hash, signature, text), false, `${what}: another key`);
      const otherHash = hash === 'SHA-256' ? 'SHA-512' : 'SHA-256';
      const keyForOtherHash = await backend.importRsaPublicKey(spki, otherHash);
      assert.is(await backend.verifyRsaText(keyForOtherHash, otherHash, signature, text), false, `${what}: checked as ${otherHash}`);
    }
  }
});

test.run();
