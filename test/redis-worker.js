// One of the concurrency tests' processes (test/redis-concurrency.test.js): its own client and its
// own replay store on the shared Redis. For each job { library, target, config, bodies, now } sent
// over IPC it connects and says 'ready'; on 'go' it presents every body at once and answers the
// outcomes, then disconnects and waits for the next job ('exit' ends it).
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { connect, disconnect, validate } from './redis-clients.js';

let job = null;
process.on('message', async (message) => {
  if (message === 'exit') process.exit(0);
  if (message === 'go') {
    const { client, config, bodies, now } = job;
    const outcomes = await Promise.all(bodies.map((body) => validate(config, body, now)));
    await disconnect(client);
    process.send({ outcomes });
    return;
  }
  const { library, target, config, bodies, now } = message;
  const client = await connect(library, target);
  job = { client, config: { ...config, replayStore: createRedisReplayStore({ client }) }, bodies, now: new Date(now) };
  process.send('ready');
});
