// Replays a vector in the shared format (../shared/VECTORS.md) against the Node build (dist/).
// The logic is vector-replay.js, which npm run test:runtimes runs in every other runtime too.
import * as saml from '../dist/index.js';
import { makeVectorRunner } from './vector-replay.js';

export { CLASS_OF_CODE } from './vector-replay.js';
export const { configOf, bodyOf, expectationOf, runVector } = makeVectorRunner(saml);
