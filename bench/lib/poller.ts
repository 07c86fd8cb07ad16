// Samples a JSON or text endpoint (legacy /__stats, gateway /metrics) every `everyMs` during a
// run, stamped with ms since the run started. Polls never overlap and time out after 500 ms.

export interface Poller<T> {
  samples: Array<{ tMs: number, value: T }>
  stop: () => Promise<void>
}

export function poll<T> (url: string, everyMs: number, parse: (body: string) => T, t0 = performance.now()): Poller<T> {
  const samples: Array<{ tMs: number, value: T }> = []
  let stopped = false
  let current: Promise<void> = Promise.resolve()
  const once = async (): Promise<void> => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(500) })
      const body = await res.text()
      samples.push({ tMs: performance.now() - t0, value: parse(body) })
    } catch {
      // A missed sample is fine: the series has a gap, never a made-up value.
    }
  }
  const timer = setInterval(() => { current = current.then(once) }, everyMs)
  return {
    samples,
    stop: async () => {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      await current
    }
  }
}

export interface StubStats { inflight: number, queued: number, received: number, served: number, errors: number, refused: number, faulted: number }

export function parseStubStats (body: string): StubStats {
  const j = JSON.parse(body) as Partial<StubStats>
  return { inflight: j.inflight ?? 0, queued: j.queued ?? 0, received: j.received ?? 0, served: j.served ?? 0, errors: j.errors ?? 0, refused: j.refused ?? 0, faulted: j.faulted ?? 0 }
}

/** Value of a Prometheus gauge/counter line with exactly these labels; NaN when absent. */
export function promValue (text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',')
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue
    const m = /^([^{\s]+)(?:\{([^}]*)\})?\s+(\S+)/.exec(line)
    if (!m || m[1] !== name) continue
    const got = (m[2] ?? '').split(',').filter(Boolean).sort().join(',')
    if (got === want) return Number(m[3])
  }
  return Number.NaN
}
