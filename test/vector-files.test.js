// The real IdP vectors run when they are there and say so in one line when they are not
// (test/vector-files.js); a SAML_REAL_VECTORS that names a missing folder fails instead of skipping.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REAL_VECTORS, NOT_RUN_LINE, realVectorsDir } from './vector-files.js';

const none = () => false;
const all = () => true;

test('SAML_REAL_VECTORS names the folder, resolved from the working directory', () => {
  assert.equal(realVectorsDir({ SAML_REAL_VECTORS: 'some/dir' }, all), { dir: resolve('some/dir'), explicit: true });
});

test('a SAML_REAL_VECTORS folder that does not exist fails rather than skipping', () => {
  assert.throws(() => realVectorsDir({ SAML_REAL_VECTORS: '/no/such/vectors' }, none), /SAML_REAL_VECTORS=\/no\/such\/vectors: .* does not exist/);
});

test('without SAML_REAL_VECTORS: ../shared/vectors-real when it exists, else none', () => {
  assert.equal(realVectorsDir({}, (dir) => dir === DEFAULT_REAL_VECTORS), { dir: DEFAULT_REAL_VECTORS, explicit: false });
  assert.equal(realVectorsDir({ SAML_REAL_VECTORS: '' }, none), null);
  assert.equal(realVectorsDir({}, none), null);
});

test('a clone without ../shared prints one line, however many tests ask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'saml-core-bare-'));
  try {
    mkdirSync(join(dir, 'project', 'test'), { recursive: true });
    copyFileSync(new URL('vector-files.js', import.meta.url), join(dir, 'project', 'test', 'vector-files.js'));
    const script = "const m = await import('./test/vector-files.js'); console.log(String(m.realVectors()), String(m.realVectors()));";
    const env = { ...process.env };
    delete env.SAML_REAL_VECTORS;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(dir, 'project'), env, encoding: 'utf8' });
    assert.is(out, `${NOT_RUN_LINE}\nnull null\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
