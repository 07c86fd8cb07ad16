// A prom-client Histogram that counts into preallocated arrays. prom-client's own observe()
// validates the label names, hashes the label object and walks a per-series object of bucket
// counts on every call (≈ 1.5 µs per request on the gateway's hot path, bench/README.md); here a
// series is one Float64Array of bucket counts plus sum and count, found by a string key, and a
// cached child (labels(…)) skips even the key. The exposition is built only when the registry
// is read — after the metric's `collect` hook, exactly where prom-client builds its own — in the
// very shape prom-client's Histogram produces (same value objects, same label objects and order,
// same float sums), so the Registry prints /metrics byte for byte as before
// (test/unit/metrics-fixed-histogram-same-exposition.test.ts compares the two).
import { Histogram } from 'prom-client'
import type { Aggregator, HistogramConfiguration, LabelValues, MetricValueWithName, MetricType } from 'prom-client'

type Labels = Partial<Record<string, string | number>>

interface Series {
  /** The first label object seen for the series, copied: its key order is the exposition's. */
  labels: Labels
  /** counts[i]: observations in (bounds[i-1], bounds[i]]; values above the last bound only count. */
  counts: Float64Array
  sum: number
  count: number
}

type Value = MetricValueWithName<string> & { sharedLabels: Labels, exemplar: null | undefined }

/** What prom-client's Registry reads from a metric to print it. */
export interface ExportedMetric { name: string, help: string, type: MetricType, values: Value[], aggregator: Aggregator }

/** Fields every prom-client metric has at runtime that its typings leave out. */
interface MetricInternals { name: string, help: string, type: MetricType, aggregator: Aggregator, collect?: () => unknown, upperBounds: number[], labelNames: string[] }

export class FixedHistogram<T extends string = string> extends Histogram<T> {
  readonly #bounds: Float64Array
  readonly #names: readonly string[]
  #series = new Map<string, Series>()
  /** Bumped whenever a series may have been replaced or dropped (reset, zero, remove): children look theirs up again. */
  #epoch = 0

  constructor (config: HistogramConfiguration<T>) {
    if (config.enableExemplars === true) throw new TypeError('FixedHistogram does not keep exemplars')
    super(config)
    const self = this as unknown as MetricInternals
    this.#bounds = Float64Array.from(self.upperBounds)
    this.#names = [...self.labelNames]
    // prom-client assigns `observe` on the instance in its constructor; put ours back.
    this.observe = FixedHistogram.prototype.observe
    // As prom-client: an unlabelled histogram shows its zero series from the start (not after reset).
    if (this.#names.length === 0) this.#create('', {})
  }

  override observe (labelsOrValue: LabelValues<T> | number | { labels?: LabelValues<T>, value: number }, value?: number): void {
    if (typeof labelsOrValue === 'number') {
      this.#observe(this.#seriesOf({}), labelsOrValue)
    } else if (value === undefined && 'value' in labelsOrValue && typeof labelsOrValue.value === 'number') {
      this.#observe(this.#seriesOf(labelsOrValue.labels ?? {}), labelsOrValue.value)
    } else {
      this.#observe(this.#seriesOf(labelsOrValue as LabelValues<T>), value as number)
    }
  }

  /** A child for one label set: its observe() costs a map lookup and a bucket walk. */
  override labels (...args: [LabelValues<T>] | string[]): Histogram.Internal<T> {
    const first = args[0]
    const labels: Labels = typeof first === 'object' ? first : {}
    if (typeof first !== 'object') this.#names.forEach((name, i) => { if (args[i] !== undefined) labels[name] = args[i] as string })
    this.#check(labels)
    const key = this.#keyOf(labels)
    let series: Series | undefined
    let seen = -1
    return {
      observe: (v: number) => {
        if (seen !== this.#epoch || series === undefined) {
          series = this.#series.get(key) ?? this.#create(key, labels)
          seen = this.#epoch
        }
        this.#observe(series, v)
      },
      startTimer: (start?: LabelValues<T>) => this.startTimer({ ...labels, ...start } as LabelValues<T>)
    }
  }

  override reset (): void {
    // Called by prom-client's constructor too, before this class's fields exist.
    if (!(#series in this)) return
    this.#series = new Map()
    this.#epoch++
  }

  override zero (labels: LabelValues<T>): void {
    this.#check(labels)
    const key = this.#keyOf(labels)
    this.#series.delete(key)
    this.#create(key, labels)
    this.#epoch++
  }

  override remove (...args: [LabelValues<T>] | string[]): void {
    const first = args[0]
    const labels: Labels = typeof first === 'object' ? first : {}
    if (typeof first !== 'object') this.#names.forEach((name, i) => { if (args[i] !== undefined) labels[name] = args[i] as string })
    this.#series.delete(this.#keyOf(labels))
    this.#epoch++
  }

  /** What the Registry prints (prom-client's get() also builds on it); runs `collect` first, as prom-client does. */
  async getForPromString (): Promise<ExportedMetric> {
    const self = this as unknown as MetricInternals
    if (self.collect) await self.collect.call(this)
    const bucket = `${self.name}_bucket`
    const values: Value[] = []
    for (const s of this.#series.values()) {
      let acc = 0
      for (let i = 0; i < this.#bounds.length; i++) {
        acc += s.counts[i] as number
        values.push({ labels: { le: this.#bounds[i] as number }, sharedLabels: s.labels, value: acc, metricName: bucket, exemplar: null })
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null })
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${self.name}_sum`, exemplar: undefined })
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${self.name}_count`, exemplar: undefined })
    }
    return { name: self.name, help: self.help, type: self.type, values, aggregator: self.aggregator }
  }

  #observe (s: Series, v: number): void {
    if (!Number.isFinite(v)) throw new TypeError(`Value is not a valid number: ${String(v)}`)
    s.sum += v
    s.count++
    const bounds = this.#bounds
    for (let i = 0; i < bounds.length; i++) {
      if (v <= (bounds[i] as number)) {
        s.counts[i] = (s.counts[i] as number) + 1
        return
      }
    }
  }

  #seriesOf (labels: Labels): Series {
    const key = this.#keyOf(labels)
    const found = this.#series.get(key)
    if (found) return found
    this.#check(labels)
    return this.#create(key, labels)
  }

  #create (key: string, labels: Labels): Series {
    const s: Series = { labels: { ...labels }, counts: new Float64Array(this.#bounds.length), sum: 0, count: 0 }
    this.#series.set(key, s)
    return s
  }

  /** The label values in the declared order (prom-client hashes by sorted names: same identity). */
  #keyOf (labels: Labels): string {
    let key = ''
    for (const name of this.#names) {
      const v = labels[name]
      key += (v === undefined ? '\u0001' : String(v)) + '\u0000'
    }
    return key
  }

  #check (labels: Labels): void {
    for (const name of Object.keys(labels)) {
      if (!this.#names.includes(name)) throw new Error(`Added label "${name}" is not included in initial labelset: ${JSON.stringify(this.#names)}`)
    }
  }
}
