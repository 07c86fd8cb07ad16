// The shipped config/gateway.yaml loads for dev and prod, routes what issue 3 asks, and the prod
// overlay's routes are the base routes with PROD function names (lists replace, so they are
// repeated there; this test keeps the two in step).
import t from 'tap'
import { loadConfig } from '../../gateway/src/config/load-config.js'
import { LEGACY_PROTECTION_BLOCKS } from '../helpers/config.js'

const PROD_ENV = { STAGE: 'prod', LEGACY_URL: 'https://legacy.internal.example' }

t.test('dev: defaults, env overrides, the shipped routes', async t => {
  const config = loadConfig({ env: {} })
  t.equal(config.stage, 'dev')
  t.same(config.server, {
    host: '127.0.0.1',
    port: 8080,
    bodyLimitBytes: 10485760,
    bodyTimeoutMs: 10000,
    exposeRoutingHeaders: true,
    trustedProxies: [],
    internalHeaders: [],
    stripHeaders: ['x-original-url', 'x-rewrite-url', 'x-http-method-override', 'x-http-method', 'x-method-override'],
    shutdownGraceMs: 10000,
    caseSensitive: false
  })
  t.same(config.admin, { host: '127.0.0.1', port: 9090 })
  t.same(config.legacy, {
    url: 'http://127.0.0.1:5000',
    timeoutMs: 5000,
    connectTimeoutMs: 1000,
    connections: 64,
    keepAliveTimeoutMs: 4000,
    // The shield of ARCHITECTURE.md's sketch (docs/protection.md).
    maxConcurrency: 8,
    // queue, rateLimit and breaker are written out in the file; retries and adaptive are the
    // schema's defaults, applied at load.
    ...LEGACY_PROTECTION_BLOCKS
  })
  t.same(config.lambda, { endpoint: '', region: 'eu-central-1', contexts: {} })
  const summary = config.routes.map(r => `${r.id} ${r.methods.join(',')} ${r.path} → ${r.target}${r.lambda ? ` (${r.lambda.function})` : ''}`)
  t.same(summary, [
    'users.list GET /api/users → lambda (Users-DEV)',
    'users.get GET /api/users/:id → lambda (Users-DEV)',
    'projects.list GET /api/projects → lambda (Projects-DEV)',
    'projects.get GET /api/projects/:id → lambda (Projects-DEV)',
    'budgets.get GET /api/budgets/:projectId → legacy (Budget-DEV)',
    'projects.create POST /api/projects → legacy',
    'billings.create POST /api/billings → legacy'
  ])
  t.same(config.routes[0]?.lambda, {
    function: 'Users-DEV',
    timeoutMs: 3000,
    qualifier: '',
    maxConcurrency: 10,
    // The schema's defaults for a function's queue and breaker, applied at load.
    queue: { maxSize: 32, maxWaitMs: 100 },
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5000, rollingCountTimeoutMs: 10000, rollingCountBuckets: 10 }
  })
  // Gateway-side caps = the template's ReservedConcurrentExecutions; sticky rollout; GETs fall back.
  const caps = Object.fromEntries(config.routes.filter(r => r.lambda).map(r => [r.id, r.lambda?.maxConcurrency]))
  t.same(caps, { 'users.list': 10, 'users.get': 10, 'projects.list': 5, 'projects.get': 5, 'budgets.get': 10 })
  t.ok(config.routes.filter(r => r.lambda).every(r => r.fallback === 'legacy' && r.rollout?.percent === 100 && r.rollout.stickyBy === 'header:x-user-id'))
  t.same(config.testerOverride, { enabled: false, header: 'x-gateway-force-target' })
  t.same(config.state, { dir: './var' })
})

t.test('dev: env variables reach the config, numbers coerced', async t => {
  const config = loadConfig({
    env: { PORT: '18080', ADMIN_PORT: '19090', GATEWAY_HOST: '0.0.0.0', LEGACY_URL: 'http://legacy:5000', LAMBDA_ENDPOINT: 'http://127.0.0.1:3001', AWS_REGION: 'eu-west-1' }
  })
  t.equal(config.server.port, 18080)
  t.equal(config.admin.port, 19090)
  t.equal(config.server.host, '0.0.0.0')
  t.equal(config.legacy.url, 'http://legacy:5000')
  t.equal(config.lambda.endpoint, 'http://127.0.0.1:3001')
  t.equal(config.lambda.region, 'eu-west-1')
})

t.test('prod: PROD function names, admin on loopback, LEGACY_URL required', async t => {
  const prod = loadConfig({ env: PROD_ENV })
  const dev = loadConfig({ env: {} })
  t.equal(prod.stage, 'prod')
  t.equal(prod.admin.host, '127.0.0.1')
  t.equal(prod.legacy.url, 'https://legacy.internal.example')
  const asDev = prod.routes.map(r => r.lambda ? { ...r, lambda: { ...r.lambda, function: r.lambda.function.replace(/-PROD$/, '-DEV') } } : r)
  t.same(asDev, dev.routes, 'prod routes = dev routes with -PROD names')
  t.ok(prod.routes.every(r => r.lambda === undefined || r.lambda.function.endsWith('-PROD')))
  const err = (() => { try { loadConfig({ env: { STAGE: 'prod' } }) } catch (e) { return e as Error } })()
  t.match(err?.message, /legacy\.url: expected environment variable LEGACY_URL to be set/)
})

t.test('opts.stage selects the overlay and wins over env STAGE', async t => {
  const config = loadConfig({ stage: 'prod', env: { STAGE: 'dev', LEGACY_URL: 'http://legacy:5000' } })
  t.equal(config.stage, 'prod')
  t.equal(config.routes[0]?.lambda?.function, 'Users-PROD')
})

t.test('the loaded config is deeply frozen', async t => {
  const config = loadConfig({ env: {} })
  t.ok(Object.isFrozen(config))
  t.ok(Object.isFrozen(config.server))
  t.ok(Object.isFrozen(config.routes))
  t.ok(Object.isFrozen(config.routes[0]?.methods))
  t.throws(() => { (config.server as { port: number }).port = 1 }, TypeError)
})
