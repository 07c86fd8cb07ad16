// Checks the schema cannot express: unique route ids, a lambda target has a function, contexts
// exist, patterns are valid and unambiguous, addresses parse, listeners do not collide. They run
// on the defaulted config; routes that failed the schema are skipped so each problem is reported
// once. (A non-loopback admin.host without GATEWAY_ADMIN_TOKEN is refused by the server shell
// with GW_ERR_ADMIN_TOKEN_REQUIRED, not here: the token is not config.)
import { isIP } from 'node:net'
import { Value } from '@sinclair/typebox/value'
import { RouteSchema } from './schema/route.schema.js'
import type { GatewayConfig, RouteConfig } from './schema.js'
import type { ConfigProblem } from './config-problem.js'
import { renderValue } from './config-problem.js'
import { routeTableProblems } from '../routing/route-table.js'
import { guardProblems } from '../guard/guard-config-checks.js'
import { shadowProblems } from '../shadow/shadow-config-checks.js'
import { asyncConfigProblems } from '../async/async.schema.js'

function isIpOrCidr (value: string): boolean {
  const [addr = '', prefix, extra] = value.split('/')
  const family = isIP(addr)
  if (family === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  if (!/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (family === 4 ? 32 : 128)
}

function isHttpUrl (value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
  } catch {
    return false
  }
}

type Loose = Partial<{ [K in keyof GatewayConfig]: unknown }>

function routeChecks (routes: ReadonlyArray<RouteConfig | undefined>, contexts: readonly string[], problems: ConfigProblem[]): void {
  const seen = new Map<string, number>()
  routes.forEach((route, i) => {
    if (route === undefined) return
    const first = seen.get(route.id)
    if (first !== undefined) problems.push({ path: `routes[${i}].id`, message: `expected a unique route id, found ${renderValue(route.id)} (also routes[${first}].id)` })
    else seen.set(route.id, i)
    if (route.target === 'lambda' && route.lambda === undefined) {
      problems.push({ path: `routes[${i}].lambda.function`, message: 'expected a Lambda function name (required when target is lambda), found nothing' })
    }
    const context = route.lambda?.context
    if (context !== undefined && !contexts.includes(context)) {
      const known = contexts.length === 0 ? 'none are defined' : contexts.join('|')
      problems.push({ path: `routes[${i}].lambda.context`, message: `expected a key of lambda.contexts (${known}), found ${renderValue(context)}` })
    }
    problems.push(...guardProblems(route, `routes[${i}]`))
    problems.push(...shadowProblems(route, `routes[${i}]`))
  })
}

/** Problems beyond the schema. `config` is the defaulted (possibly schema-invalid) tree. */
export function semanticProblems (config: Loose): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const server = (config.server ?? {}) as Partial<GatewayConfig['server']>
  const admin = (config.admin ?? {}) as Partial<GatewayConfig['admin']>
  const legacy = (config.legacy ?? {}) as Partial<GatewayConfig['legacy']>
  const lambda = (config.lambda ?? {}) as Partial<GatewayConfig['lambda']>

  const routes = (Array.isArray(config.routes) ? config.routes : [])
    .map(r => Value.Check(RouteSchema, r) ? r : undefined)
  const contexts = lambda.contexts !== null && typeof lambda.contexts === 'object' ? Object.keys(lambda.contexts) : []
  routeChecks(routes, contexts, problems)
  const caseSensitive = server.caseSensitive === true
  problems.push(...routeTableProblems(routes, { caseSensitive }))
  // No async GET; no route under the reserved job status prefix.
  problems.push(...asyncConfigProblems(config as { routes?: unknown, async?: { pathPrefix?: unknown } }))

  if (typeof admin.port === 'number' && admin.port !== 0 && admin.port === server.port && admin.host === server.host) {
    problems.push({ path: 'admin.port', message: `expected a port other than server.port on the same host, found ${admin.port}` })
  }
  if (Array.isArray(server.trustedProxies)) {
    server.trustedProxies.forEach((p, i) => {
      if (typeof p === 'string' && !isIpOrCidr(p)) problems.push({ path: `server.trustedProxies[${i}]`, message: `expected an IP address or CIDR, found ${renderValue(p)}` })
    })
  }
  if (typeof legacy.url === 'string' && /^https?:\/\//.test(legacy.url) && !isHttpUrl(legacy.url)) {
    problems.push({ path: 'legacy.url', message: `expected an http:// or https:// URL without user:password, found ${renderValue(legacy.url)}` })
  }
  if (typeof lambda.endpoint === 'string' && lambda.endpoint !== '' && /^https?:\/\//.test(lambda.endpoint) && !isHttpUrl(lambda.endpoint)) {
    problems.push({ path: 'lambda.endpoint', message: `expected an http:// or https:// URL without user:password, found ${renderValue(lambda.endpoint)}` })
  }
  return problems
}
