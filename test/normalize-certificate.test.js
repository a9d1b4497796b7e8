// normalizeCertificate: what admins really paste → one PEM certificate, or the mistake named.
// idp.certificates goes through the same reading, so every accepted form works in the config too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkConfig, normalizeCertificate } from '../dist/index.js';
import { TEST_IDPS, TEST_SP, generateTestCredentials } from '../dist/node/test-idp.js';

const { certificatePem, privateKeyPem } = await generateTestCredentials({ commonName: 'paste test' });
const body = certificatePem.replace(/-----[^-]+-----|\s/g, '');
const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
// RFC 7468: 64-character lines, LF, one trailing newline.
const canonical = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;

function fails(input, pattern) {
  try {
    normalizeCertificate(input);
  } catch (error) {
    assert.is(error.name, 'SamlError');
    assert.is(error.code, 'CONFIG_INVALID', error.message);
    assert.match(error.message, pattern);
    assert.match(error.hint, /Paste the IdP signing certificate in PEM form/);
    return;
  }
  assert.unreachable(`accepted ${String(input).slice(0, 40)}`);
}

test('normalizeCertificate: a PEM block in any wrapping gives the one canonical PEM', () => {
  assert.is(normalizeCertificate(certificatePem), canonical);
  assert.is(normalizeCertificate(canonical), canonical, 'idempotent');
  const crlf = certificatePem.replace(/\n/g, '\r\n');
  const indented = certificatePem.split('\n').map((line) => `    ${line}   `).join('\n');
  const oneLine = `-----BEGIN CERTIFICATE-----${body}-----END CERTIFICATE-----`;
  const rewrapped = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,76}/g).join('\n')}\n-----END CERTIFICATE-----`;
  const withText = `Subject: CN=paste test\nissuer: CN=paste test\n${certificatePem}\n`;
  const bom = `\uFEFF${certificatePem}`;
  for (const input of [crlf, indented, oneLine, rewrapped, withText, bom, certificatePem.replace('CERTIFICATE-----\n', 'CERTIFICATE-----\n\t')]) {
    assert.is(normalizeCertificate(input), canonical, JSON.stringify(input.slice(0, 50)));
  }
  assert.is(normalizeCertificate(certificatePem.replace(/CERTIFICATE/g, 'X509 CERTIFICATE')), canonical, 'the old X509 CERTIFICATE label');
});

test('normalizeCertificate: the base64 body alone (Entra ID "Certificate (Base64)") and DER bytes ("Certificate (Raw)")', () => {
  assert.is(normalizeCertificate(body), canonical);
  assert.is(normalizeCertificate(body.match(/.{1,64}/g).join('\r\n')), canonical);
  assert.is(normalizeCertificate(der), canonical);
  assert.is(normalizeCertificate(new TextEncoder().encode(certificatePem)), canonical, 'a .pem file read as bytes');
});

test('normalizeCertificate: several certificates name the count and the array the config takes', () => {
  fails(certificatePem + certificatePem, /holds 2 certificates; put one certificate per entry \(idp\.certificates takes an array/);
  fails(`${certificatePem}\n${certificatePem}\n${certificatePem}`, /holds 3 certificates/);
});

test('normalizeCertificate: a private key, a CSR, a public key: each named', () => {
  fails(privateKeyPem, /is a private key \(never share it: paste the certificate instead\)/);
  fails(privateKeyPem.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'), /is a private key/);
  fails(privateKeyPem.replace(/PRIVATE KEY/g, 'ENCRYPTED PRIVATE KEY'), /is a private key/);
  fails(`-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----`, /certificate signing request \(CSR\)/);
  fails(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`, /bare public key; the certificate that holds it is expected/);
  fails(`-----BEGIN RSA PUBLIC KEY-----\n${body}\n-----END RSA PUBLIC KEY-----`, /bare public key/);
  fails(`-----BEGIN PKCS7-----\n${body}\n-----END PKCS7-----`, /a PEM "PKCS7" block/);
  // A certificate beside a private key: the key is named first, it must not be pasted anywhere.
  fails(certificatePem + privateKeyPem, /is a private key/);
  // The private key's base64 without its header: it is no certificate.
  fails(privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), /is not a parsable X\.509 certificate/);
});

test('normalizeCertificate: truncated blocks and DER, damaged base64, empty or wrong types', () => {
  fails(certificatePem.replace(/-----END CERTIFICATE-----\s*$/, ''), /truncated PEM block: "-----BEGIN CERTIFICATE-----" has no matching "-----END CERTIFICATE-----"/);
  fails(certificatePem.replace('-----BEGIN CERTIFICATE-----', ''), /truncated PEM block: it has an END line but no "-----BEGIN CERTIFICATE-----"/);
  const cut = body.slice(0, 400);
  fails(cut, /is truncated: its DER declares \d+ bytes and 300 came/);
  fails(der.slice(0, 500), /is truncated: its DER declares \d+ bytes and 500 came/);
  fails(`${body.slice(0, -4)}@@@@`, /body is not valid base64/);
  fails(body.slice(1), /body is not valid base64/);
  const extra = new Uint8Array(der.length + 3);
  extra.set(der);
  fails(extra, /has 3 bytes after the certificate/);
  fails('', /is empty/);
  fails('   \n', /is empty/);
  fails(new Uint8Array([0xff, 0xfe, 0x00]), /neither DER .* nor PEM text/);
  fails(42, /must be a PEM certificate \(string\) or DER bytes \(Uint8Array\); got number/);
  fails(null, /got null/);
});

test('idp.certificates takes every form normalizeCertificate takes, and names the entry of a mistake', async () => {
  const config = (certificates) => ({ sp: TEST_SP, idp: { entityId: TEST_IDPS.okta.entityId, certificates } });
  for (const input of [body, certificatePem.replace(/\n/g, '\r\n'), certificatePem.split('\n').map((l) => `  ${l}`).join('\n')]) {
    const result = await checkConfig(config([input]));
    assert.is(result.certificates[0].subject, 'CN=paste test');
  }
  try {
    await checkConfig(config([certificatePem, privateKeyPem]));
    assert.unreachable();
  } catch (error) {
    assert.is(error.code, 'CONFIG_INVALID');
    assert.match(error.message, /^Invalid configuration: idp\.certificates\[1\] is a private key/);
  }
});

test.run();
