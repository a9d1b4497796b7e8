// One of the concurrency tests' processes (test/redis-concurrency.test.js): its own client and its
// own replay store on the shared Redis. Told { library, target, config, bodies, now } over
// IPC, it connects, says 'ready', and on 'go' presents every body at once; it answers each outcome.
import { createRedisReplayStore } from '../dist/node/redis-replay-store.js';
import { connect, disconnect, validate } from './redis-clients.js';

process.once('message', async ({ library, target, config: base, bodies, now }) => {
  const client = await connect(library, target);
  const config = { ...base, replayStore: createRedisReplayStore({ client }) };
  process.once('message', async () => {
    const outcomes = await Promise.all(bodies.map((body) => validate(config, body, new Date(now))));
    process.send({ outcomes }, async () => {
      await disconnect(client);
      process.exit(0);
    });
  });
  process.send('ready');
});
