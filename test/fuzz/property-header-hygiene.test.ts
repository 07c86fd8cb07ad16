// Property fuzzing of header hygiene (http/header-hygiene.ts) with fast-check. Header names are
// drawn from the guarded vocabulary (hop-by-hop, x-gateway-*, internal, server.stripHeaders,
// client-address headers, x-request-id) in random case and with random `-`→`_` swaps, mixed
// with ordinary and invalid names; values sometimes carry CR/LF/NUL; peers are IPv4, IPv6,
// IPv4-mapped or absent, trusted or not. Properties: it never throws; no output name is guarded
// in any case or underscore spelling unless the gateway set it; no value holds CR/LF/NUL; the
// client address comes from the peer unless the peer is trusted; x-request-id is the request's;
// an async job stores exactly the forwarded headers minus the never-stored names (async parity).
import t from 'tap'
import fc from 'fast-check'
import { CLIENT_ADDRESS_HEADERS, forwardRequestHeaders, isGuarded } from '../../gateway/src/http/header-hygiene.js'
import type { ForwardContext } from '../../gateway/src/http/header-hygiene.js'
import { unmapIPv4 } from '../../gateway/src/http/trusted-proxies.js'
import { DEFAULT_STRIP_HEADERS } from '../../gateway/src/config/schema/server.schema.js'
import { ALWAYS_SECRET, storedRequest } from '../../gateway/src/async/job-request.js'
import { checkProperty } from '../helpers/property-budget.js'

const PROPERTIES = 5
const INTERNAL = ['x-internal-user', 'x-tester-override']
const GUARDED = [
  'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'proxy-connection',
  'x-gateway-route', 'x-gateway-target', 'x-gateway-job-id', ...INTERNAL, ...DEFAULT_STRIP_HEADERS, ...CLIENT_ADDRESS_HEADERS,
  'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-prefix', 'x-request-id', 'host', 'content-length', 'expect'
]
/** The gateway's own outgoing headers: present by construction, values checked separately. */
const SET_BY_GATEWAY = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'forwarded'])
const ORDINARY = ['accept', 'content-type', 'user-agent', 'x-keep', 'x-custom_thing', 'authorization', 'cookie', 'idempotency-key', 'x-tenant-secret', 'x-api-key']

/** A name in random case with some dashes turned into underscores. */
const spelled = (name: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).chain(flags =>
    fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map(underscore =>
      [...name].map((c, i) => {
        const ch = c === '-' && underscore[i] === true ? '_' : c
        return flags[i] === true ? ch.toUpperCase() : ch
      }).join('')))
const headerName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...GUARDED).chain(spelled) },
  { weight: 2, arbitrary: fc.constantFrom(...ORDINARY).chain(spelled) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }
)
const headerText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom('a\r\nx-injected: 1', 'x\nY', 'nul\u0000', 'keep-alive, X-Keep', 'for=6.6.6.6', '6.6.6.6, 7.7.7.7') }
)
const headerValue = fc.oneof({ weight: 4, arbitrary: headerText }, { weight: 1, arbitrary: fc.array(headerText, { minLength: 1, maxLength: 3 }) })
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 14 })
const peer = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4().map(ip => `::ffff:${ip}`), fc.constant(undefined))
const context = fc.record({
  peer,
  peerTrusted: fc.boolean(),
  encrypted: fc.boolean(),
  requestId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
  internalHeaders: fc.constant(new Set([...INTERNAL, ...DEFAULT_STRIP_HEADERS]) as ReadonlySet<string>)
}) as fc.Arbitrary<ForwardContext>

const guarded = (name: string, ctx: ForwardContext): boolean => isGuarded(name.replaceAll('_', '-'), ctx.internalHeaders)

t.test('no guarded name passes in any case or underscore spelling', async t => {
  checkProperty(t, 'guarded names', fc.property(headers, context, (incoming, ctx) => {
    const out = forwardRequestHeaders(incoming, ctx)
    return Object.keys(out).every(name => {
      if (name !== name.toLowerCase()) return false
      if (!guarded(name, ctx)) return true
      if (name.includes('_')) return false // an underscore alias never passes
      if (SET_BY_GATEWAY.has(name)) return true
      // A trusted proxy's client-address headers pass as it sent them; host too (Lambda events use it).
      return name === 'host' || name === 'content-length' || name === 'expect' || (ctx.peerTrusted && (name.startsWith('x-forwarded-') || CLIENT_ADDRESS_HEADERS.includes(name)))
    })
  }), PROPERTIES)
})

t.test('no output name or value can split a header line', async t => {
  checkProperty(t, 'no CR/LF/NUL', fc.property(headers, context, (incoming, ctx) => {
    const out = forwardRequestHeaders(incoming, ctx)
    return Object.entries(out).every(([name, value]) =>
      /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name) && [value].flat().every(v => !/[\r\n\0]/.test(v)))
  }), PROPERTIES)
})

t.test('the client address is the peer unless the peer is a trusted proxy', async t => {
  checkProperty(t, 'client address', fc.property(headers, context, (incoming, ctx) => {
    const out = forwardRequestHeaders(incoming, ctx)
    const real = ctx.peer === undefined ? undefined : unmapIPv4(ctx.peer)
    if (ctx.peerTrusted) return real === undefined || String(out['x-forwarded-for']).endsWith(real)
    const forwardedNames = Object.keys(out).filter(n => n.startsWith('x-forwarded-') || CLIENT_ADDRESS_HEADERS.includes(n))
    return out['x-forwarded-for'] === real &&
      forwardedNames.every(n => ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'].includes(n)) &&
      out['x-forwarded-proto'] === (ctx.encrypted ? 'https' : 'http') &&
      (out['x-forwarded-host'] === undefined || out['x-forwarded-host'] === [out.host ?? []].flat().join(', '))
  }), PROPERTIES)
})

t.test('x-request-id is always the request\'s own, and ordinary headers pass unchanged', async t => {
  checkProperty(t, 'request id and passthrough', fc.property(headers, context, (incoming, ctx) => {
    const out = forwardRequestHeaders(incoming, ctx)
    if (out['x-request-id'] !== ctx.requestId) return false
    const listed = String(incoming.connection ?? '').toLowerCase()
    return Object.entries(incoming).every(([name, value]) => {
      const lower = name.toLowerCase()
      const clean = [value].flat().every(v => !/[\r\n\0]/.test(v)) && /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(lower)
      const duplicate = Object.keys(incoming).filter(n => n.toLowerCase() === lower).length > 1
      if (guarded(lower, ctx) || !clean || duplicate || listed.includes(lower) || lower === '__proto__') return '__proto__' in out ? Object.hasOwn(out, '__proto__') === false : true
      return JSON.stringify(out[lower]) === JSON.stringify(Array.isArray(value) ? value : String(value))
    })
  }), PROPERTIES)
})

t.test('async parity: a job stores the forwarded headers minus exactly the never-stored names', async t => {
  const neverStored = new Set<string>([...ALWAYS_SECRET, 'x-tenant-secret', 'host', 'content-length', 'expect', 'idempotency-key'])
  checkProperty(t, 'async parity', fc.property(headers, context, (incoming, ctx) => {
    const forwarded = forwardRequestHeaders(incoming, ctx)
    const stored = storedRequest({ method: 'POST', path: '/api/billings', query: '', headers: forwarded, body: Buffer.alloc(0) }, ['X-Tenant-Secret']).headers
    const expected = Object.fromEntries(Object.entries(forwarded).filter(([name]) => !neverStored.has(name)))
    return JSON.stringify(stored) === JSON.stringify(expected)
  }), PROPERTIES)
})
