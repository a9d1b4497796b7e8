// The checks of EncryptedAssertion decryption (src/xml/xmlenc.ts, src/private-keys.ts, their wiring
// in src/saml/validate.ts and config.ts) and the mutant that removes each; killed by
// test/encryption.test.js and the encrypted vectors.
const X = 'xml/xmlenc.js';
const V = 'saml/validate.js';
export const XMLENC_MUTATIONS = [
  // Structure before any crypto
  { name: 'xmlenc: one EncryptedData and EncryptedKeys only in the EncryptedAssertion', file: X, from: 'if (data.length !== 1 || others.length > 0) {', to: 'if (data.length === 0) {' },
  { name: 'xmlenc: EncryptedData of Type Element', file: X, from: "if (attr(encryptedData, 'Type') !== `${XENC}Element`) {", to: 'if (false) {' },
  { name: 'xmlenc: EncryptionMethod, KeyInfo, CipherData in order', file: X, from: "if (!isXenc(method, 'EncryptionMethod') || !isDs(keyInfo, 'KeyInfo') || !isXenc(cipherData, 'CipherData') || rest.length > 0) {", to: 'if (false) {' },
  { name: 'xmlenc: content algorithm allow-list', file: X, from: 'if (content === undefined)', to: 'if (false)' },
  { name: 'xmlenc: 3DES only with policy.allowTripleDes', file: X, from: "if (content.mode === 'des' && !settings.allowTripleDes) {", to: 'if (false) {' },
  { name: 'xmlenc: no parameters on the content EncryptionMethod', file: X, from: 'if (childElements(method).length > 0)', to: 'if (false)' },
  { name: 'xmlenc: exactly one key reference in KeyInfo', file: X, from: 'if (entries.length !== 1 || entry === undefined) {', to: 'if (entry === undefined) {' },
  { name: 'xmlenc: EncryptedKey inline or beside, not both', file: X, from: 'if (siblings.length > 0)', to: 'if (false)' },
  { name: 'xmlenc: RetrievalMethod same-document only (no remote URI)', file: X, from: "if (!uri.startsWith('#') || uri.length < 2)", to: 'if (false)' },
  { name: 'xmlenc: RetrievalMethod Type EncryptedKey, no Transforms', file: X, from: 'if ((type !== null && type !== `${XENC}EncryptedKey`) || childElements(entry).length > 0) {', to: 'if (false) {' },
  { name: 'xmlenc: exactly one sibling EncryptedKey, the named one', file: X, from: 'if (found.length !== 1 || siblings.length !== 1) {', to: 'if (found.length === 0) {' },
  { name: 'xmlenc: EncryptedKey children allow-list', file: X, from: 'if (unknown !== undefined)', to: 'if (false)' },
  { name: 'xmlenc: rsa-1_5 refused (Bleichenbacher)', file: X, from: 'if (algorithm === KEY_TRANSPORT.rsa15) {', to: 'if (false) {' },
  { name: 'xmlenc: key transport RSA-OAEP only', file: X, from: 'if (algorithm !== KEY_TRANSPORT.oaepMgf1p && algorithm !== KEY_TRANSPORT.oaep) {', to: 'if (false) {' },
  { name: 'xmlenc: OAEP parameter allow-list', file: X, from: "else\n            throw notAllowed(`The EncryptedKey's RSA-OAEP has parameter", to: "else if (false)\n            throw notAllowed(`The EncryptedKey's RSA-OAEP has parameter" },
  { name: 'xmlenc: OAEP digest and MGF1 hash match', file: X, from: 'if (mgf !== digest) {', to: 'if (false) {' },
  { name: 'xmlenc: OAEPparams in base64', file: X, from: 'if (label === null)', to: 'if (false)' },
  { name: 'xmlenc: one CipherData in the EncryptedKey', file: X, from: 'if (found.length !== 1)', to: 'if (found.length === 0)' },
  { name: 'xmlenc: ciphertext inline (no CipherReference)', file: X, from: "if (!isXenc(value, 'CipherValue') || rest.length > 0) {", to: 'if (value === undefined) {' },
  // Crypto
  { name: 'xmlenc: content key length matches the algorithm', file: X, from: 'if (contentKey === null || contentKey.length !== parts.content.keyBytes)', to: 'if (contentKey === null)' },
  { name: 'xmlenc: ISO 10126 pad length 1..block', file: X, from: 'if (pad < 1 || pad > size)', to: 'if (false)' },
  // Plaintext
  { name: 'xmlenc: plaintext is one Assertion and white space only', file: X, from: 'else if (n.nodeType !== 3 || /\\S/.test(n.data))', to: 'else if (false)' },
  { name: 'xmlenc: plaintext root is a saml:Assertion', file: X, from: "element.localName === 'Assertion' && element.namespaceURI === NS.assertion", to: 'true' },
  { name: 'xmlenc: plaintext in the EncryptedAssertion namespace context', file: X, from: '${namespaceContext(encrypted)}', to: '' },
  // Order and wiring
  { name: 'decryption: no keys configured is ENCRYPTED_ASSERTION_UNSUPPORTED', file: V, from: 'if (decryptionKeys.length === 0) {', to: 'if (false) {' },
  { name: 'decryption: one EncryptedAssertion, no plain Assertion beside it', file: V, from: 'if (encryptedAssertions.length !== 1 || assertions.length > 0) {', to: 'if (false) {' },
  { name: 'decryption: EncryptedAssertion a direct child of the Response', file: V, from: 'if (encrypted.parentNode !== response) {', to: 'if (false) {' },
  { name: 'decryption: no Signature on the EncryptedAssertion', file: V, from: 'if (encrypted && placed.assertion !== null) {', to: 'if (false) {' },
  { name: 'decryption: signed Response required before decrypting', file: V, from: 'if (placed.response === null && (cfg.requireSignedResponse || (!encrypted && placed.assertion === null)))', to: 'if (placed.response === null && !encrypted && (cfg.requireSignedResponse || placed.assertion === null))' },
  { name: 'decryption: Response signature verified before decrypting (padding oracle)', file: V, from: '() => verifySignature(response, responseSignature, keys, cfg.allowSha1, reuse, now)', to: 'async () => (encrypted ? undefined : verifySignature(response, responseSignature, keys, cfg.allowSha1, reuse, now))' },
  { name: 'decryption: Signatures in the plaintext only on the Assertion', file: V, from: 'if (innerPlaced.misplaced !== null)', to: 'if (false)' },
  // Configuration
  { name: 'config: allowRsa15KeyTransport true is refused', file: 'config.js', from: 'if (policy.allowRsa15KeyTransport === true) {', to: 'if (false) {' },
  { name: 'private keys: at least policy.minRsaKeyBits', file: 'private-keys.js', from: 'if (key.modulusBits < minRsaKeyBits) {', to: 'if (false) {' },
  { name: 'private keys: certificate or public key refused', file: 'private-keys.js', from: "if (kind === 'CERTIFICATE' || kind.includes('PUBLIC KEY')) {", to: 'if (false) {' },
  { name: 'private keys: encrypted PEM refused', file: 'private-keys.js', from: "if (kind === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\\s*4,ENCRYPTED/m.test(body)) {", to: 'if (false) {' },
  // ID uniqueness with the Signature Id rule
  { name: 'Signature Id never equal to another element ID', file: 'xml/parse.js', from: 'if (ids.has(id.value))\n', to: 'if (false)\n' },
  { name: 'element ID never equal to a Signature Id', file: 'xml/parse.js', from: 'if (ids.has(id.value) || signatureIds.has(id.value))', to: 'if (ids.has(id.value))' },
];
