// Forcing a breaker takes an optional reason (the cockpit asks for one) and the audit keeps it;
// without a body it is audited with reason null as before; an unknown body field is a 400.
import t from 'tap'
import { ADMIN_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'

t.test('breaker force with and without a reason', async t => {
  const h = await startAdmin(t)
  const open = await adminFetch(h.url, '/admin/breakers/lambda:Users-dev/open', { method: 'POST', token: ADMIN_TOKEN, body: { reason: 'Lambda errors, stop calling it' } })
  t.equal(open.status, 200)
  t.match(open.json.audit, { action: 'breaker.open', routeId: 'lambda:Users-dev', reason: 'Lambda errors, stop calling it' })
  const close = await adminFetch(h.url, '/admin/breakers/lambda:Users-dev/close', { method: 'POST', token: ADMIN_TOKEN })
  t.equal(close.status, 200)
  t.equal(close.json.audit.reason, null)
  const bad = await adminFetch(h.url, '/admin/breakers/legacy/open', { method: 'POST', token: ADMIN_TOKEN, body: { why: 'x' } })
  t.equal(bad.status, 400)
  t.equal(h.breakers.states.get('legacy'), 'closed', 'a refused call changes nothing')
})
