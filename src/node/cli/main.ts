#!/usr/bin/env node
/**
 * saml-core: the command line for captured IdP responses (docs/cli.md).
 *
 *   saml-core check INPUT [--config FILE.json | --metadata IDP.xml --sp-entity-id ID --acs-url URL]
 *                         [--request-id ID] [--now ISO | --at-issue-time] [--json]
 *   saml-core decode INPUT [--json]
 *   saml-core conformance DIR... [--junit FILE] [--json FILE] [--deviations FILE]
 *   saml-core metadata --config FILE.json
 *
 * Exit codes: 0 accepted / ok, 1 rejected (or a conformance verdict differing from expect), 2 bad
 * usage or unreadable input. Node-only: the core never imports this folder.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { processIo, type Io } from './io.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from './usage.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const collect = (value: string, previous: string[] = []) => [...previous, value];

// Each command's module (and with it the core) is loaded when the command runs: a usage error,
// --help or --version costs no more than commander.
export function program(io: Io, done: (code: number) => void): Command {
  const cli = new Command('saml-core')
    .description('Check, decode and replay captured SAML 2.0 Responses with saml-core (docs/cli.md).')
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  cli
    .command('check')
    .description('validate every Response in INPUT and print each check, the verdict and what the document claims')
    .argument('<INPUT>', 'a POST body, base64 SAMLResponse, XML, HAR file, SAML-tracer export, vector file, or - for stdin')
    .addOption(new Option('--config <FILE.json>', 'the SamlConfig as JSON (certificates as PEM or { "file": "x.pem" })').conflicts('metadata'))
    .addOption(new Option('--metadata <IDP.xml>', "the IdP's SAML metadata (with --sp-entity-id and --acs-url)").conflicts('config'))
    .option('--sp-entity-id <ID>', "the SP's entity ID (with --metadata)")
    .option('--acs-url <URL>', "the SP's ACS URL (with --metadata)")
    .option('--request-id <ID>', 'the pending AuthnRequest ID (SP-initiated login); repeat for several', collect)
    .addOption(new Option('--now <ISO>', 'judge at this instant, e.g. 2026-11-22T10:00:30Z').conflicts('atIssueTime'))
    .addOption(new Option('--at-issue-time', "judge at the Response's own IssueInstant + 1 s").conflicts('now'))
    .option('--json', 'one JSON document on stdout (shape: docs/cli.md)')
    .action(async (input: string, flags) => done(await (await import('./check.js')).runCheck(input, flags, io)));

  cli
    .command('decode')
    .description('print the decoded, pretty-printed XML and what it claims (NOT VERIFIED); inflates a redirect-binding SAMLRequest')
    .argument('<INPUT>', 'any INPUT of check, a redirect-binding URL, or a SAMLRequest parameter value')
    .option('--json', 'one JSON document on stdout (shape: docs/cli.md)')
    .action(async (input: string, flags) => done(await (await import('./decode.js')).runDecode(input, flags, io)));

  cli
    .command('conformance')
    .description('replay every vector file under the directories and compare each verdict with its expect')
    .argument('<DIR...>', 'directories of vector files (../shared/VECTORS.md)')
    .option('--junit <FILE>', 'write JUnit XML (a testsuite per category)')
    .option('--json <FILE>', 'write the results as JSON (shape: docs/cli.md)')
    .option('--deviations <FILE>', 'JSON { "<vector name>": { "expect": {...}, "why": "..." } } replacing those vectors\' expect')
    .action(async (dirs: string[], flags) => done(await (await import('./conformance.js')).runConformance(dirs, flags, io)));

  cli
    .command('metadata')
    .description("print the SP's metadata (createSpMetadata) for the IdP admin to upload")
    .requiredOption('--config <FILE.json>', 'the SamlConfig as JSON')
    .action(async (flags) => done((await import('./metadata.js')).runMetadata(flags, io)));

  return cli;
}

/** Runs the command line on `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number | null = null;
  const cli = program(io, (c) => {
    code = c;
  });
  try {
    await cli.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit 0; every usage error commander finds (unknown command
      // or option, missing argument, conflicting options, no command at all) with exit 2.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`saml-core: ${error.message}\n`);
      return EXIT_USAGE;
    }
    // A bug of ours is not a verdict: never exit 1 (rejected) for it.
    io.stderr.write(`saml-core: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_USAGE;
  }
  return code ?? EXIT_OK;
}

// `saml-core decode x | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
const code = await main(process.argv.slice(2));
// Let stdout drain before the process ends (a pipe is asynchronous).
process.exitCode = code;
