// What must hold after every raw request, whatever it was (the fuzzer and the crash-corpus
// replay share it): the process is alive and caught nothing; legacy saw only whole requests
// the client got legacy's answer for, on the path and route the gateway reported; no header the
// gateway strips or replaces reached legacy with the client's value; an async delivery is of a
// job the gateway accepted (202), never of one it refused.
import { forwardRequestHeaders } from '../../gateway/src/http/header-hygiene.js'
import { loadConfig } from '../../gateway/src/config/load-config.js'
import { normalizePath } from '../../gateway/src/routing/normalize-path.js'
import { compileRouteTable, matchRoute } from '../../gateway/src/routing/route-table.js'
import type { RouteTable } from '../../gateway/src/routing/route-table.js'
import type { RawExchange, Recorded } from '../helpers/raw-http.js'
import { SHIPPED_CONFIG } from '../helpers/raw-http.js'

export interface Oracle {
  /** Problems found for one exchange (empty = all invariants hold). */
  check: (exchange: RawExchange, seen: Recorded[], marker: string, caseId: string) => string[]
  /** Forwards whose answer came after the client stopped waiting (a slow box, or a hang). */
  slowAnswers: () => number
}

const MARK = 'oracle-mark-7f3a'

export function createOracle (): Oracle {
  const config = loadConfig({ path: SHIPPED_CONFIG, stage: 'dev', env: { LEGACY_URL: 'http://127.0.0.1:9', LAMBDA_ENDPOINT: 'http://127.0.0.1:9' } })
  const table: RouteTable = compileRouteTable(config.routes, { caseSensitive: config.server.caseSensitive })
  const internal = new Set([...config.server.internalHeaders, ...config.server.stripHeaders, config.testerOverride?.header ?? 'x-gateway-force-target'])
  // The gateway's own pure hygiene is the oracle of which names it strips or replaces: whatever
  // it promises for a name, the wire must keep (a name it adds to its lists is checked at once).
  const verdicts = new Map<string, boolean>()
  const strippedOrReplaced = (name: string): boolean => {
    let v = verdicts.get(name)
    if (v === undefined) {
      const out = forwardRequestHeaders({ host: 'gw.test', [name]: MARK }, { peer: '127.0.0.1', peerTrusted: false, encrypted: false, requestId: 'oracle', internalHeaders: internal })
      v = !Object.values(out).some(value => String(value).includes(MARK))
      verdicts.set(name, v)
    }
    return v
  }
  const routeOf = (method: string, path: string): string => matchRoute(table, method, path)?.route.id ?? 'default'
  // Statuses each case got, by its x-fuzz-case number: a delivered job must have been accepted
  // (202), or its client gave up before the answer; never refused.
  const answers = new Map<string, number[]>()
  let slow = 0

  return {
    slowAnswers: () => slow,
    check (exchange, seen, marker, caseId) {
      const problems: string[] = []
      const used = new Set<number>()
      answers.set(caseId, exchange.statuses)
      for (const [i, head] of exchange.heads.entries()) {
        if (head['content-type'] === 'application/problem+json' && exchange.statuses[i] === 500) problems.push('a 500 GW_ERR_INTERNAL (an unexpected error inside a request)')
      }
      for (const r of seen) {
        const q = r.url.indexOf('?')
        const path = q === -1 ? r.url : r.url.slice(0, q)
        const normal = normalizePath(path)
        if (!normal.ok || normal.path !== path) problems.push(`legacy got a path the gateway would not forward as is: ${JSON.stringify(r.url)}`)
        const route = routeOf(r.method, path)
        // A request of an earlier case forwarded late (its client stopped waiting), or an async
        // job delivered after its case: checked against its own case's marker.
        const tag = r.headers['x-fuzz-case']
        const late = typeof tag === 'string' && /^\d+$/.test(tag) && tag !== caseId
        const mark = late ? `fz${String(tag)}q` : marker
        // Stored jobs carry exactly the synchronous forward's headers (async parity), so the
        // strip/replace check covers async deliveries too.
        for (const [name, value] of Object.entries(r.headers)) {
          if (String(value).includes(mark) && strippedOrReplaced(name)) problems.push(`header ${name} reached legacy with the client's value ${JSON.stringify(value)}`)
        }
        if (route === 'billings.create' && r.method === 'POST') {
          // An async delivery of an accepted job (the intake never forwards inline).
          const got = answers.get(String(tag)) ?? []
          if (got.length > 0 && !got.includes(202)) problems.push(`legacy got a job the gateway refused (${got.join(',')}): ${r.method} ${r.url}`)
          continue
        }
        if (!r.complete) problems.push(`legacy got an incomplete request: ${r.method} ${r.url}`)
        if (late) { slow++; continue }
        const at = exchange.heads.findIndex((h, i) => !used.has(i) && h['x-recorded-url'] === encodeURI(r.url) && h['x-recorded-method'] === r.method)
        if (at !== -1) used.add(at)
        const answered = at === -1 ? undefined : exchange.heads[at]
        // A client that gave up first (nothing back, connection still open) proves nothing; slow
        // answers are counted instead (the fuzzer fails when they are more than a few).
        if (answered === undefined && !exchange.closed && exchange.bytes.length === 0) slow++
        else if (answered === undefined) problems.push(`legacy got ${r.method} ${JSON.stringify(r.url)} but the client never got its answer`)
        else if (answered['x-gateway-route'] !== route) problems.push(`the gateway reported route ${answered['x-gateway-route'] ?? '(none)'} for ${JSON.stringify(r.url)}, which is ${route}`)
      }
      return problems
    }
  }
}
