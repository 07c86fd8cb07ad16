// Per-route and per-function last-hit times, for the unused report. The hot path only does a
// Map.set with a timestamp (no allocation beyond the first hit of a key, no I/O); a timer
// flushes the maps with the state every `flushMs` when something changed, never per request.

export interface LastHitSnapshot {
  routes: Record<string, number>
  functions: Record<string, number>
}

export interface LastHitTrackerOptions {
  /** Clock; default Date.now. */
  now?: () => number
}

export class LastHitTracker {
  private readonly routes = new Map<string, number>()
  private readonly functions = new Map<string, number>()
  private readonly now: () => number
  private dirty = false
  private timer: NodeJS.Timeout | undefined

  constructor (options: LastHitTrackerOptions = {}) {
    this.now = options.now ?? Date.now
  }

  /** Hot path: records a hit of a route (id as in config). */
  hitRoute (routeId: string): void {
    this.routes.set(routeId, this.now())
    this.dirty = true
  }

  /** Hot path: records an invocation of a Lambda function (name as invoked). */
  hitFunction (name: string): void {
    this.functions.set(name, this.now())
    this.dirty = true
  }

  /** Seeds from persisted state at start; newer in-memory hits win. */
  restore (snapshot: LastHitSnapshot): void {
    for (const [k, v] of Object.entries(snapshot.routes)) if (!(this.routes.get(k)! >= v)) this.routes.set(k, v)
    for (const [k, v] of Object.entries(snapshot.functions)) if (!(this.functions.get(k)! >= v)) this.functions.set(k, v)
  }

  snapshot (): LastHitSnapshot {
    return { routes: Object.fromEntries(this.routes), functions: Object.fromEntries(this.functions) }
  }

  /** True when hits were recorded since the last `markClean()`. */
  isDirty (): boolean { return this.dirty }
  markClean (): void { this.dirty = false }

  /**
   * Flushes through `persist` every `intervalMs` while dirty. The timer is unref'd so it never
   * keeps the process alive; a failed flush stays dirty and is retried on the next tick.
   */
  startFlushing (persist: () => Promise<void>, intervalMs = 60_000): void {
    this.stopFlushing()
    this.timer = setInterval(() => { this.flush(persist).catch(() => {}) }, intervalMs)
    this.timer.unref()
  }

  stopFlushing (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** One flush if dirty; errors are reported to `onError` (default: swallowed, retried later). */
  async flush (persist: () => Promise<void>, onError?: (err: unknown) => void): Promise<boolean> {
    if (!this.dirty) return false
    this.dirty = false
    try {
      await persist()
      return true
    } catch (err) {
      this.dirty = true
      onError?.(err)
      return false
    }
  }
}
