import t from 'tap'
import { Protection } from '../../gateway/src/protection/protection.js'

// Protection.clientKeyOf keeps the last `ip` key it built; it must still answer every address with its own key.
t.test('source ip: each address its own key, whatever came just before', async t => {
  const p = new Protection({ clientRateLimit: { perSecond: 1, burst: 1, key: 'ip', maxKeys: 10 } })
  t.teardown(() => p.close())
  const keys = ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.1', '::1'].map(ip => p.clientKeyOf({ headers: {}, ip }))
  t.strictSame(keys, ['ip:10.0.0.1', 'ip:10.0.0.1', 'ip:10.0.0.2', 'ip:10.0.0.1', 'ip:::1'])
  t.equal(p.clientKeyOf({ headers: {}, ip: undefined as unknown as string }), 'ip:undefined', 'a socket already gone: as before')
})

t.test('source header: the header decides per request, the ip only without it', async t => {
  const p = new Protection({ clientRateLimit: { perSecond: 1, burst: 1, key: 'header:x-api-key', maxKeys: 10 } })
  t.teardown(() => p.close())
  const a = p.clientKeyOf({ headers: { 'x-api-key': 'a' }, ip: '10.0.0.1' })
  const b = p.clientKeyOf({ headers: { 'x-api-key': 'b' }, ip: '10.0.0.1' })
  t.not(a, b)
  t.match(a, /^header:/)
  t.equal(p.clientKeyOf({ headers: {}, ip: '10.0.0.1' }), 'ip:10.0.0.1')
  const none = new Protection()
  t.teardown(() => none.close())
  t.equal(none.clientKeyOf({ headers: {}, ip: '10.0.0.1' }), undefined, 'no clientRateLimit: no key')
})
