// The guides in docs/ show example files verbatim: a block marked <!-- examples/NAME --> must be
// that file, every marked file must exist, and each framework example is shown in its guide
// (examples/ runs them: test/framework-examples.test.js).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './vector-files.js';

const SHOWN = {
  'docs/sessions.md': ['examples/saml-login.js'],
  'docs/express.md': ['examples/express.js'],
  'docs/hono.md': ['examples/hono.js'],
};

const guides = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
const MARKED = /<!-- (examples\/[\w./-]+) -->\n```\w+\n([\s\S]*?)```\n/g;

test('each framework example and the login state it shares are shown in their guide', () => {
  for (const [guide, files] of Object.entries(SHOWN)) {
    const marked = [...readFileSync(join(ROOT, guide), 'utf8').matchAll(MARKED)].map((m) => m[1]);
    assert.equal(marked, files, guide);
  }
});

for (const guide of guides) {
  test(`${guide} shows every marked example file verbatim`, () => {
    for (const [, file, shown] of readFileSync(join(ROOT, guide), 'utf8').matchAll(MARKED)) {
      assert.ok(existsSync(join(ROOT, file)), `${guide} shows ${file}, which does not exist`);
      assert.fixture(shown, readFileSync(join(ROOT, file), 'utf8'));
    }
  });
}

test('README links every guide in docs/', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.equal(guides.filter((guide) => !readme.includes(`](${guide})`)), []);
});

test('the product is called Microsoft Entra ID everywhere users read (README, guides, hints in src/)', () => {
  const files = ['README.md', ...guides, ...readdirSync(join(ROOT, 'src')).filter((n) => n.endsWith('.ts')).map((n) => `src/${n}`)];
  const stale = files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .map((line, i) => [file, i + 1, line])
      .filter(([, , line]) => /\bAzure\b/.test(line.replace('formerly Azure AD', ''))),
  );
  assert.equal(stale.map(([file, line]) => `${file}:${line}`), []);
});

test.run();
