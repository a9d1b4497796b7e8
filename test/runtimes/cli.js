// Node, Deno and Bun: replays the generated vectors module and prints the results as one JSON line.
import vectors from './vectors.js';
import { replay } from './replay.js';

console.log(JSON.stringify(await replay(vectors)));
