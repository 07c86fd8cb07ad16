// The unused report: routes and Lambda functions with no traffic for N days, the gateway's
// version of listing inactive Lambdas before deleting them. Pure: the clock is an input. A
// never-hit item counts from the gateway's first start on this state (persisted), so a freshly
// installed gateway reports nothing until it has watched traffic for N days.

const DAY_MS = 86_400_000

export interface UnusedInput {
  days: number
  now: number
  firstStartedAt: number
  routes: Array<{ id: string, lambdaFunction?: string | undefined }>
  lastHit: { routes: Record<string, number>, functions: Record<string, number> }
}

export interface UnusedItem {
  id: string
  /** ISO time of the last hit, or null when never hit since firstStartedAt. */
  lastHit: string | null
  /** Whole days since the last hit (or since the first start when never hit). */
  idleDays: number
}

export interface UnusedReport {
  days: number
  now: string
  firstStartedAt: string
  routes: UnusedItem[]
  functions: UnusedItem[]
}

function idle (id: string, last: number | undefined, input: UnusedInput): UnusedItem | undefined {
  const since = last ?? input.firstStartedAt
  if (input.now - since < input.days * DAY_MS) return undefined
  return { id, lastHit: last === undefined ? null : new Date(last).toISOString(), idleDays: Math.floor((input.now - since) / DAY_MS) }
}

export function unusedReport (input: UnusedInput): UnusedReport {
  const routes: UnusedItem[] = []
  const functions: UnusedItem[] = []
  const seen = new Set<string>()
  for (const r of input.routes) {
    const item = idle(r.id, input.lastHit.routes[r.id], input)
    if (item !== undefined) routes.push(item)
    if (r.lambdaFunction !== undefined && !seen.has(r.lambdaFunction)) {
      seen.add(r.lambdaFunction)
      const fn = idle(r.lambdaFunction, input.lastHit.functions[r.lambdaFunction], input)
      if (fn !== undefined) functions.push(fn)
    }
  }
  const byIdle = (a: UnusedItem, b: UnusedItem): number => b.idleDays - a.idleDays || a.id.localeCompare(b.id)
  return {
    days: input.days,
    now: new Date(input.now).toISOString(),
    firstStartedAt: new Date(input.firstStartedAt).toISOString(),
    routes: routes.sort(byIdle),
    functions: functions.sort(byIdle)
  }
}
