// Many tenants, one process: 10,000 distinct configs, each with its own certificate, validated
// round-robin (test/tenants-child.js, run with --expose-gc so the heap can be measured after a full
// GC). The certificate/key cache is bounded (src/certificates.ts keeps the latest 256 certificates):
// once the configs are dropped the library holds a few MiB, not one imported key per tenant ever
// seen. The resolved config is cached per config object (src/config.ts, a WeakMap: it lives and dies
// with the config), so a reused config is not resolved again, and the heap grows by about 1 KB per
// live config, the resolution itself.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const CHILD = fileURLToPath(new URL('./tenants-child.js', import.meta.url));

test('tenants: 10,000 configs round-robin keep the certificate/key cache and the heap bounded; reused configs stay resolved', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', CHILD], { encoding: 'utf8' });
  const m = JSON.parse(stdout);
  console.log(`tenants: ${JSON.stringify(m)}`);
  assert.is(m.tenants, 10_000);
  assert.ok(m.cachedForReused, 'a reused config returns the resolution made in the round-robin pass');
  // Unbounded, the cache would keep every tenant's imported key: about 27 MiB here.
  assert.ok(m.afterDropMiB < 10, `the library holds ${m.afterDropMiB} MiB once the 10,000 configs are dropped`);
  // From 2,500 to 10,000 live configs: their resolutions only (about 1 KB each), no key per tenant.
  const perConfig = ((m.heapAfterEach2500MiB[3] - m.heapAfterEach2500MiB[0]) * 2 ** 20) / 7500;
  assert.ok(perConfig < 1600, `${Math.round(perConfig)} bytes per live config from 2,500 to 10,000`);
});

test.run();
