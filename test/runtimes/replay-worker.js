// workerd: a Worker that replays the vectors POSTed to it (as JSON) and answers the results.
import { replay } from './replay.js';

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('POST the vectors as JSON', { status: 405 });
    return Response.json(await replay(await request.json()));
  },
};
