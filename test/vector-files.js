// The vector files on disk (Node only): our own in vectors/, the real ones in ../shared/vectors-real/.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OWN_VECTORS = join(ROOT, 'vectors');
export const REAL_VECTORS = join(ROOT, '..', 'shared', 'vectors-real');

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
