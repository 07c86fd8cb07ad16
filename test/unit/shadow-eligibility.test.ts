// Which requests are shadowed: the default config never shadows a write; allowWrites needs the
// route's idempotency key; body size and sampling are applied; the switch and a Lambda are needed.
import t from 'tap'
import { parseConfig } from '../../gateway/src/config/load-config.js'
import { declaredLength, SHADOW_DEFAULTS, shadowEligibility } from '../../gateway/src/shadow/shadow-eligibility.js'
import type { EligibilityInput } from '../../gateway/src/shadow/shadow-eligibility.js'
import { Value } from '@sinclair/typebox/value'
import { ShadowSchema } from '../../gateway/src/shadow/shadow.schema.js'

const base = (o: Partial<EligibilityInput> = {}): EligibilityInput => ({
  settings: { ...SHADOW_DEFAULTS, enabled: true },
  enabled: true,
  hasLambda: true,
  method: 'GET',
  headers: {},
  random: () => 0.5,
  ...o
})

t.test('the defaults are what the loader fills in for a route without shadow (values pinned in shadow-config-rules.test.ts)', async t => {
  const config = parseConfig('routes:\n  - { id: a, methods: [GET], path: /a, target: legacy }\n', { env: {} })
  t.same(config.routes[0]?.shadow, SHADOW_DEFAULTS)
  t.same(Value.Default(ShadowSchema, {}), SHADOW_DEFAULTS)
  t.ok(Object.isFrozen(SHADOW_DEFAULTS.compare.ignore), 'shared by every route without shadow: frozen all the way down')
})

t.test('default config: reads are shadowed, no write ever is', async t => {
  t.same(shadowEligibility(base()), { shadow: true })
  t.same(shadowEligibility(base({ method: 'HEAD' })), { shadow: true })
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    t.same(shadowEligibility(base({ method, headers: { 'idempotency-key': 'k' } })), { shadow: false, reason: 'write' }, method)
  }
})

t.test('allowWrites: only with the idempotency key header (configurable name)', async t => {
  const settings = { ...SHADOW_DEFAULTS, enabled: true, allowWrites: true }
  t.same(shadowEligibility(base({ settings, method: 'POST' })), { shadow: false, reason: 'no_idempotency_key' })
  t.same(shadowEligibility(base({ settings, method: 'POST', headers: { 'idempotency-key': '  ' } })), { shadow: false, reason: 'no_idempotency_key' })
  t.same(shadowEligibility(base({ settings, method: 'POST', headers: { 'idempotency-key': 'k-1' } })), { shadow: true })
  const custom = { ...settings, idempotencyKeyHeader: 'X-Request-Key' }
  t.same(shadowEligibility(base({ settings: custom, method: 'POST', headers: { 'idempotency-key': 'k-1' } })), { shadow: false, reason: 'no_idempotency_key' })
  t.same(shadowEligibility(base({ settings: custom, method: 'POST', headers: { 'x-request-key': 'k-1' } })), { shadow: true })
})

t.test('switch, lambda, declared body size and sampling', async t => {
  t.same(shadowEligibility(base({ enabled: false })), { shadow: false, reason: 'off' })
  t.same(shadowEligibility(base({ hasLambda: false })), { shadow: false, reason: 'no_lambda' })
  t.same(shadowEligibility(base({ declaredBodyBytes: 65537 })), { shadow: false, reason: 'body_too_large' })
  t.same(shadowEligibility(base({ declaredBodyBytes: 65536 })), { shadow: true })
  const sampled = { ...SHADOW_DEFAULTS, enabled: true, sampleRate: 0.25 }
  t.same(shadowEligibility(base({ settings: sampled, random: () => 0.24 })), { shadow: true })
  t.same(shadowEligibility(base({ settings: sampled, random: () => 0.25 })), { shadow: false, reason: 'not_sampled' })
  t.same(shadowEligibility(base({ settings: { ...sampled, sampleRate: 0 }, random: () => 0 })), { shadow: false, reason: 'not_sampled' })
  t.equal(declaredLength('42'), 42)
  t.equal(declaredLength('4x'), undefined)
  t.equal(declaredLength(undefined), undefined)
})
