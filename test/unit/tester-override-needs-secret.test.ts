// The tester override forces a target only when enabled and carrying the configured secret.
import t from 'tap'
import { testerOverrideProblem, testerOverrideSettings, testerOverrideTarget } from '../../gateway/src/routing/tester-override.js'

const SECRET = 'tester-secret-0123456789'
const on = testerOverrideSettings({ enabled: true, header: 'X-Gateway-Force-Target' }, SECRET)

t.test('the right secret forces either target', async t => {
  t.equal(on.header, 'x-gateway-force-target')
  t.equal(testerOverrideTarget(on, `lambda;${SECRET}`), 'lambda')
  t.equal(testerOverrideTarget(on, ` Legacy ; ${SECRET} `), 'legacy')
  t.equal(testerOverrideTarget(on, [`lambda;${SECRET}`]), 'lambda')
})

t.test('without the secret the header is ignored', async t => {
  t.equal(testerOverrideTarget(on, 'lambda'), undefined, 'no secret part')
  t.equal(testerOverrideTarget(on, 'lambda;wrong'), undefined, 'wrong secret')
  t.equal(testerOverrideTarget(on, `lambda;${SECRET}x`), undefined, 'secret plus a char')
  t.equal(testerOverrideTarget(on, `lambda;${SECRET.slice(0, -1)}`), undefined, 'prefix of the secret')
  t.equal(testerOverrideTarget(on, `both;${SECRET}`), undefined, 'unknown target')
  t.equal(testerOverrideTarget(on, undefined), undefined)
  t.equal(testerOverrideTarget(on, []), undefined)
})

t.test('off by default semantics: disabled or secretless settings never force', async t => {
  const off = testerOverrideSettings({ enabled: false, header: 'x-f' }, SECRET)
  t.equal(testerOverrideTarget(off, `lambda;${SECRET}`), undefined)
  const noSecret = testerOverrideSettings({ enabled: true, header: 'x-f' }, undefined)
  t.equal(testerOverrideTarget(noSecret, 'lambda;'), undefined)
  t.equal(testerOverrideSettings({ enabled: true, header: 'x-f' }, '').secretDigest, undefined)
})

t.test('enabling it without a long enough secret is a start problem', async t => {
  t.equal(testerOverrideProblem({ enabled: false }, undefined), undefined)
  t.match(testerOverrideProblem({ enabled: true }, undefined), /GATEWAY_OVERRIDE_SECRET/)
  t.match(testerOverrideProblem({ enabled: true }, 'short'), /shorter than 16/)
  t.equal(testerOverrideProblem({ enabled: true }, SECRET), undefined)
})
