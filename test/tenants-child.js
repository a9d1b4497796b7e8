// Run by test/tenants.test.js with --expose-gc: 10,000 tenant configs, each with its own
// certificate, validated round-robin; prints the measurements as JSON.
//
// The certificates are made cheaply: one RSA key and one self-signed certificate from the test IdP,
// then 10,000 copies whose serial number differs (its last 4 bytes are the tenant's index, patched
// into the DER). The copies' own signatures no longer verify, which saml-core never checks (SAML uses
// a certificate only to carry the IdP's key); each is a distinct certificate text, so each is a
// distinct entry for every cache keyed by certificate. One signed response, valid for all of them.
import { validateResponse } from '../dist/index.js';
import { resolveConfig } from '../dist/config.js';
import { generateTestCredentials } from '../dist/node/test-idp.js';
import { samlConfig, signedBodies } from './redis-fixtures.js';

const TENANTS = 10_000;
const credentials = await generateTestCredentials({ commonName: 'tenant idp' });
const now = new Date();
const [body] = signedBodies(credentials, now, 1, 'idTenant');

function certificateCopies(pem, count) {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  // Certificate SEQUENCE, tbsCertificate SEQUENCE, [0] version, then the serial INTEGER (16 bytes here).
  const serialAt = der.indexOf(Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02, 0x02])) + 6;
  const length = der[serialAt];
  return Array.from({ length: count }, (_, i) => {
    const copy = Buffer.from(der);
    copy.writeUInt32BE(i, serialAt + 1 + length - 4);
    return `-----BEGIN CERTIFICATE-----\n${copy.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
  });
}

const memory = () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};
const mib = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

// A store that accepts repeats: the one response is presented for every tenant (replay is not what is measured here).
const replayStore = { remember: async () => true };
const baseline = memory();
let configs = certificateCopies(credentials.certificatePem, TENANTS).map((pem) => ({ ...samlConfig(pem), replayStore }));
const withConfigs = memory();
const samples = [0, 1, TENANTS / 2, TENANTS - 1];
const first = new Map();
const heap = [];
const started = performance.now();
for (let i = 0; i < TENANTS; i++) {
  const result = await validateResponse(configs[i], body, { now });
  if (result.nameId !== 'jane.doe@example.com') throw new Error(`tenant ${i}: ${result.nameId}`);
  if (samples.includes(i)) first.set(i, resolveConfig(configs[i]));
  if ((i + 1) % 2500 === 0) heap.push(mib(memory() - withConfigs));
}
const msPerValidation = (performance.now() - started) / TENANTS;
// Reused configs: the resolution made in the round-robin pass is still the one returned.
const cachedForReused = samples.every((i) => resolveConfig(configs[i]) === first.get(i));
const retainedPerConfig = (memory() - withConfigs) / TENANTS;
// The configs dropped: what the library still holds is its caches alone.
configs = null;
first.clear();
const afterDrop = mib(memory() - baseline);
console.log(JSON.stringify({ tenants: TENANTS, heapAfterEach2500MiB: heap, retainedPerConfigBytes: Math.round(retainedPerConfig), afterDropMiB: afterDrop, cachedForReused, msPerValidation: Math.round(msPerValidation * 1000) / 1000 }));
