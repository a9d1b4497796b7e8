// Makes the saml-core bin (package.json "bin", built by tsc -p tsconfig.cli.json) executable, so
// that npm pack records it as 0755: npm sets a bin's mode when it installs a package anyway, but a
// tarball unpacked by hand (or a checkout's dist/) runs as ./dist/node/cli/main.js too. Runs after tsc.
import { chmodSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { bin } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
for (const path of Object.values(bin)) {
  const file = `${root}${path}`;
  if (!readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')) throw new Error(`${path}: a bin must start with #!/usr/bin/env node`);
  chmodSync(file, 0o755);
}
