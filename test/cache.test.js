// The bounded key caches (src/cache.ts, used for IdP certificates and SP decryption keys): least
// recently used out first, so a tenant in rotation is not re-imported; a failed import not kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PromiseCache } from '../dist/cache.js';

function counting() {
  const made = [];
  return { made, make: (key, value = key) => () => (made.push(key), Promise.resolve(value)) };
}

test('cache: a hit keeps its entry, the least recently used leaves first', async () => {
  const cache = new PromiseCache(2);
  const { made, make } = counting();
  await cache.get('a', make('a'));
  await cache.get('b', make('b'));
  assert.is(await cache.get('a', make('a')), 'a'); // a used again: b is now the oldest
  await cache.get('c', make('c')); // evicts b
  assert.is(await cache.get('a', make('a')), 'a');
  assert.equal(made, ['a', 'b', 'c'], 'a was made once');
  await cache.get('b', make('b'));
  assert.equal(made, ['a', 'b', 'c', 'b'], 'b was evicted and made again');
  assert.is(cache.size, 2);
});

test('cache: the same promise for every caller; a rejected one is dropped, so the error comes afresh', async () => {
  const cache = new PromiseCache(4);
  const first = cache.get('k', () => Promise.resolve(1));
  assert.is(cache.get('k', () => Promise.resolve(2)), first);
  let calls = 0;
  const failing = () => (calls++, Promise.reject(new Error('bad pem')));
  await cache.get('bad', failing).catch(() => {});
  await cache.get('bad', failing).catch(() => {});
  assert.is(calls, 2);
  assert.is(cache.size, 1);
});

test.run();
