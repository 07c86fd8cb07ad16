// A Map with a size cap and second-chance ("clock") eviction, an approximation of least
// recently used. Keeps per-client state bounded when a flood of distinct keys arrives.
// Exact LRU on a Map costs a delete + set on every hit (the insertion order is the recency
// order); here a hit only marks its entry as used, and the order is fixed up at eviction time:
// the oldest entry goes unless it was used since it last reached the front, in which case it is
// moved to the back with the mark cleared and the next oldest is looked at. So:
// - the map never holds more than `maxEntries` (size <= max after every set);
// - `evictions` counts exactly the entries dropped: one per new key set while full;
// - an entry used since it was last passed over always outlives one that was not (the LRU
//   behaviour the per-client limits need: a client in use is not dropped for a flood of new keys).
// The scan moves each used entry once and clears its mark, so an eviction costs O(1) amortised.

interface Entry<V> {
  value: V
  used: boolean
}

export class BoundedMap<K, V> {
  readonly #max: number
  readonly #map = new Map<K, Entry<V>>()
  evictions = 0

  constructor (maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError('maxEntries must be >= 1')
    this.#max = maxEntries
  }

  get size (): number { return this.#map.size }

  get (key: K): V | undefined {
    const entry = this.#map.get(key)
    if (entry === undefined) return undefined
    entry.used = true
    return entry.value
  }

  set (key: K, value: V): void {
    const entry = this.#map.get(key)
    if (entry !== undefined) {
      entry.value = value
      entry.used = true
      return
    }
    this.#map.set(key, { value, used: false })
    if (this.#map.size > this.#max) this.#evictOne(key)
  }

  clear (): void { this.#map.clear() }

  /** Drops the oldest entry not used since it was last passed over; never `added`, the key just set. */
  #evictOne (added: K): void {
    const map = this.#map
    for (;;) {
      const [key, entry] = map.entries().next().value as [K, Entry<V>]
      if (!entry.used && key !== added) {
        map.delete(key)
        this.evictions++
        return
      }
      entry.used = false
      map.delete(key)
      map.set(key, entry)
    }
  }
}
