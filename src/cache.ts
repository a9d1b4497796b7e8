/**
 * A bounded cache of promises by text key (a PEM, say), least recently used out first: a hit moves
 * its entry to the end, so the keys of tenants in rotation stay imported while one-off ones leave.
 * A promise that rejects is dropped, so the next call reports its error afresh.
 */
export class PromiseCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const entry = make();
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
    entry.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
