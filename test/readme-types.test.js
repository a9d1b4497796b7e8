// Every ```ts block of README.md and docs/*.md type-checks with `tsc --strict` against the built
// declarations (dist/*.d.ts), the package imported by its name `saml-core` as an application would;
// and test/types/*.ts, which pin what the public types allow and refuse (@ts-expect-error lines).
//
// Each block is compiled as its own ES module (an `export {}` is appended). The app functions the
// snippets call are not saml-core's: APP_STUBS below declares them once, globally (a snippet that
// defines one itself, such as `config`, shadows the stub).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './vector-files.js';

const APP_STUBS = `// The application's own functions and objects that the README's snippets use.
interface Session {
  key: string;                               // a short key to this session's server-side state
  samlRequestId?: string;
  set(name: string, value: string): void;
}
declare const session: Session;
declare const config: import('saml-core').SamlConfig;
declare const oktaCertificatePem: string;
declare const metadataUrl: string;           // the IdP's metadata URL the admin pasted
declare const spEncryptionKeyPem: string;      // docs/encryption.md: the SP's decryption key and its certificate
declare const spEncryptionCertPem: string;
declare const req: Request;                  // the incoming ACS request (fetch-style)
declare function redirect(url: string): void;
declare function signIn(user: string, attributes: Record<string, string[]>): void;
declare function showAdmin(code: string, message: string): void;
`;

/** The ```ts blocks of a Markdown file: { file, line (of the block's first code line), code }. */
export function tsBlocks(file, text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const docs = existsSync(join(ROOT, 'docs')) ? readdirSync(join(ROOT, 'docs')) : [];
const markdown = ['README.md', ...docs.filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const blocks = markdown.flatMap((file) => tsBlocks(file, readFileSync(join(ROOT, file), 'utf8')));
const typeTests = readdirSync(join(ROOT, 'test', 'types')).filter((name) => name.endsWith('.ts'));

/**
 * Compiles the files { name: text } in a project that depends on saml-core; resolves to tsc's error
 * lines. Started when this file loads, so that tsc runs while the other test files do.
 */
async function typeCheck(files) {
  const dir = mkdtempSync(join(tmpdir(), 'saml-core-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'saml-core'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext',
        lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false, noUnusedLocals: false,
      },
      include: ['*.ts'],
    }));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    try {
      await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
      return [];
    } catch (error) {
      if (typeof error.stdout !== 'string' || error.stdout === '') throw error;
      return error.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = { 'app-stubs.d.ts': APP_STUBS, 'canary.ts': "export const wrong: number = 'not a number';\n" };
const where = {};
blocks.forEach((block, i) => {
  files[`snippet-${i}.ts`] = `${block.code}\nexport {};\n`;
  where[`snippet-${i}.ts`] = block;
});
for (const name of typeTests) files[`types-${name}`] = readFileSync(join(ROOT, 'test', 'types', name), 'utf8');
const checked = typeCheck(files);
checked.catch(() => {}); // awaited (and reported) by the test below

test('the README has its TypeScript snippets', () => {
  assert.ok(blocks.filter((b) => b.file === 'README.md').length >= 5, `found ${blocks.length}`);
});

test('every TypeScript snippet type-checks under --strict against the built declarations', async () => {
  const errors = await checked;
  // The canary proves the check reports errors at all (and that it reads tsc's output).
  assert.equal(errors.filter((e) => e.startsWith('canary.ts')).length, 1, `the canary's error is missing: ${errors.join('\n')}`);
  const problems = errors.filter((e) => !e.startsWith('canary.ts')).map((e) => {
    const m = /^(snippet-\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(e);
    if (!m) return e;
    const block = where[m[1]];
    return `${block.file}:${block.line + Number(m[2]) - 1}:${m[3]}: ${m[4]}`;
  });
  assert.equal(problems, []);
});

test.run();
