// README's "Use it in ..." snippets are the files of examples/runtimes/ that npm run test:runtimes runs.
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const files = readdirSync(new URL('examples/runtimes/', root)).filter((name) => name !== 'saml-config.js');

test('README shows one example per runtime', () => {
  assert.equal(files.sort(), ['browser.html', 'bun.js', 'deno.js', 'node.js', 'worker.js']);
});

for (const name of files) {
  test(`README shows examples/runtimes/${name} verbatim`, () => {
    const match = new RegExp(`<!-- examples/runtimes/${name.replace('.', '\\.')} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n`).exec(readme);
    assert.ok(match, `README has no block marked <!-- examples/runtimes/${name} -->`);
    assert.fixture(match[1], readFileSync(new URL(`examples/runtimes/${name}`, root), 'utf8'));
  });
}

test.run();
