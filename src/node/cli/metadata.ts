/** saml-core metadata --config FILE.json: the SP's metadata (createSpMetadata) on stdout, for the IdP admin to upload. */
import { createSpMetadata, SamlError } from '../../index.js';
import { readConfigFile } from './config-file.js';
import type { Io } from './io.js';
import { EXIT_OK, UsageError, quote } from './usage.js';

export function runMetadata(flags: { config?: string }, io: Io): number {
  if (flags.config === undefined) throw new UsageError('metadata needs --config FILE.json (the SamlConfig whose sp part the metadata describes)');
  const config = readConfigFile(flags.config);
  let xml: string;
  try {
    xml = createSpMetadata(config);
  } catch (error) {
    if (error instanceof SamlError) throw new UsageError(`--config ${quote(flags.config)}: ${error.code}: ${error.message}`);
    throw error;
  }
  io.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
  return EXIT_OK;
}
