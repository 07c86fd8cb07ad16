// A Map with a size cap and least-recently-used eviction (Map keeps insertion order, so a
// touch is delete + set). Keeps per-client state bounded when a flood of distinct keys arrives.

export class BoundedMap<K, V> {
  readonly #max: number
  readonly #map = new Map<K, V>()
  evictions = 0

  constructor (maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError('maxEntries must be >= 1')
    this.#max = maxEntries
  }

  get size (): number { return this.#map.size }

  get (key: K): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  set (key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as K
      this.#map.delete(oldest)
      this.evictions++
    }
  }

  clear (): void { this.#map.clear() }
}
