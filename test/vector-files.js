// The vector files on disk (Node only): our own in vectors/, the real IdP responses beside the
// project in ../shared/vectors-real/ (or in SAML_REAL_VECTORS=DIR). Every test that reads the real
// vectors goes through realVectors(): a clone of the package's repository has no ../shared, so the
// real-IdP tests then do not run and one line says so (CI has them: .ci/run requires the folder).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OWN_VECTORS = join(ROOT, 'vectors');
export const DEFAULT_REAL_VECTORS = join(ROOT, '..', 'shared', 'vectors-real');

/** Every .json file under `dir`, sorted; vectors/keys holds keys, not vectors. */
export function jsonFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'keys' ? [] : jsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  }).sort();
}

/** { path, vector } for every vector file under `dir`. */
export function readVectors(dir) {
  return jsonFiles(dir).map((path) => ({ path, vector: JSON.parse(readFileSync(path, 'utf8')) }));
}

/**
 * Where the real vectors are: SAML_REAL_VECTORS when set (it must then exist: a set variable never
 * silently skips), else ../shared/vectors-real when it exists, else null.
 * `env` and `exists` are parameters for the test of this rule.
 */
export function realVectorsDir(env = process.env, exists = existsSync) {
  const chosen = env.SAML_REAL_VECTORS;
  if (chosen !== undefined && chosen !== '') {
    const dir = resolve(chosen);
    if (!exists(dir)) throw new Error(`SAML_REAL_VECTORS=${chosen}: ${dir} does not exist`);
    return { dir, explicit: true };
  }
  return exists(DEFAULT_REAL_VECTORS) ? { dir: DEFAULT_REAL_VECTORS, explicit: false } : null;
}

export const NOT_RUN_LINE = 'real IdP vectors: not run (../shared/vectors-real not found; set SAML_REAL_VECTORS=DIR to run them)';

let cached;

/**
 * The real IdP vectors: { dir, explicit, vectors } or null when there are none to run, in which case
 * the line above is printed once per process (uvu runs every test file in one process).
 */
export function realVectors() {
  if (cached !== undefined) return cached;
  const found = realVectorsDir();
  cached = found === null ? null : { ...found, vectors: readVectors(found.dir) };
  if (cached === null) console.log(NOT_RUN_LINE);
  return cached;
}

export const DEFAULT_REAL_METADATA = join(ROOT, '..', 'shared', 'metadata-real');
export const METADATA_NOT_RUN_LINE = 'real IdP metadata: not run (../shared/metadata-real not found; set SAML_REAL_METADATA=DIR to run it)';
let cachedMetadata;

/**
 * The real IdP metadata documents: { dir, documents: [{ name, xml, facts }] }, or null (one line
 * printed) when ../shared/metadata-real is absent and SAML_REAL_METADATA is not set. A set
 * variable naming a missing folder is an error, never a skip.
 */
export function realMetadata(env = process.env) {
  if (cachedMetadata !== undefined) return cachedMetadata;
  const chosen = env.SAML_REAL_METADATA;
  let dir = null;
  if (chosen !== undefined && chosen !== '') {
    dir = resolve(chosen);
    if (!existsSync(dir)) throw new Error(`SAML_REAL_METADATA=${chosen}: ${dir} does not exist`);
  } else if (existsSync(DEFAULT_REAL_METADATA)) dir = DEFAULT_REAL_METADATA;
  if (dir === null) {
    console.log(METADATA_NOT_RUN_LINE);
    cachedMetadata = null;
    return null;
  }
  const documents = readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'facts.json')))
    .sort()
    .map((name) => ({
      name,
      // As bytes → UTF-8 text, the way an application reads a download: a BOM stays in the text.
      xml: readFileSync(join(dir, name, 'metadata.xml'), 'utf8'),
      facts: JSON.parse(readFileSync(join(dir, name, 'facts.json'), 'utf8')),
    }));
  cachedMetadata = { dir, documents };
  return cachedMetadata;
}
