// Pure: request records → per-second figures (by the second each request was scheduled in).

export interface RequestRecord {
  /** ms since the run started, when the request was due (open loop: its schedule slot). */
  dueMs: number
  /** ms from due to the end of the answer (or to the abort). */
  latencyMs: number
  /** HTTP status; 0 for a transport error or a client timeout. */
  status: number
  timedOut: boolean
}

export interface SecondFigures {
  t: number
  offered: number
  /** 2xx answered within the client timeout. */
  goodput: number
  /** 429 + 503 answers (load shed or refused). */
  shed: number
  /** Other 5xx answers, and 4xx other than 429. */
  failed: number
  /** Client timeouts and transport errors. */
  timeouts: number
}

export function perSecond (records: readonly RequestRecord[], timeoutMs: number, seconds?: number): SecondFigures[] {
  const n = seconds ?? Math.ceil(Math.max(0, ...records.map(r => r.dueMs + 1)) / 1000)
  const out: SecondFigures[] = Array.from({ length: n }, (_, t) => ({ t, offered: 0, goodput: 0, shed: 0, failed: 0, timeouts: 0 }))
  for (const r of records) {
    const s = out[Math.floor(r.dueMs / 1000)]
    if (s === undefined) continue
    s.offered++
    if (r.timedOut || r.status === 0) s.timeouts++
    else if (r.status >= 200 && r.status < 300) {
      if (r.latencyMs <= timeoutMs) s.goodput++
      else s.timeouts++
    } else if (r.status === 429 || r.status === 503) s.shed++
    else s.failed++
  }
  return out
}

/** Due times (ms) of a fixed-rate schedule made of phases: evenly spaced within each phase. */
export function schedule (phases: ReadonlyArray<{ rate: number, durationS: number }>): number[] {
  const out: number[] = []
  let startMs = 0
  for (const p of phases) {
    const count = Math.round(p.rate * p.durationS)
    const gap = 1000 / p.rate
    for (let i = 0; i < count; i++) out.push(startMs + i * gap)
    startMs += p.durationS * 1000
  }
  return out
}
