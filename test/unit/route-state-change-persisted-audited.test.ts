// RouteStateService: a change is persisted and audited before it is answered; an audit failure
// rolls it back; concurrent changes are serialised; the hot-path read follows every change.
import t from 'tap'
import { createMemoryAuditLog } from '../../gateway/src/ops/audit-log.js'
import type { AuditLog } from '../../gateway/src/ops/audit-log.js'
import { createMemoryStateStore } from '../../gateway/src/ops/route-state-store.js'
import { RouteStateService } from '../../gateway/src/ops/route-state-service.js'
import { OPS_ROUTES } from '../helpers/ops.js'

async function service (audit: AuditLog = createMemoryAuditLog(), store = createMemoryStateStore()): Promise<{ svc: RouteStateService, store: typeof store }> {
  const svc = new RouteStateService({ store, audit, routes: OPS_ROUTES, now: () => 1_000 })
  await svc.init()
  return { svc, store }
}

t.test('first start persists firstStartedAt', async t => {
  const { svc, store } = await service()
  t.equal(svc.firstStartedAt, 1_000)
  t.same(await store.load(), { version: 1, firstStartedAt: 1_000, routes: {}, lastHit: { routes: {}, functions: {} } })
})

t.test('patch: saved, audited, visible to get()', async t => {
  const audit = createMemoryAuditLog({ now: () => 2_000, newId: () => 'id-1' })
  const { svc, store } = await service(audit)
  const changed: string[][] = []
  svc.onChange(ids => changed.push(ids))
  const result = await svc.patch('users.get', { target: 'legacy' }, { who: 'alice', reason: 'lambda errors' })
  t.equal(svc.get('users.get')?.target, 'legacy')
  t.same((await store.load())?.routes, { 'users.get': { target: 'legacy' } })
  t.same(result.entry, {
    id: 'id-1',
    time: '1970-01-01T00:00:02.000Z',
    who: 'alice',
    action: 'route.patch',
    routeId: 'users.get',
    before: { target: 'lambda', rolloutPercent: 100, shadow: { enabled: false } },
    after: { target: 'legacy', rolloutPercent: 100, shadow: { enabled: false } },
    reason: 'lambda errors'
  })
  t.same(changed, [['users.get']])
})

t.test('unknown route is a 404 error and changes nothing', async t => {
  const { svc, store } = await service()
  await t.rejects(svc.patch('nope', { target: 'legacy' }, { who: 'a', reason: null }), { code: 'GW_ERR_ADMIN_NOT_FOUND', statusCode: 404 })
  t.same((await store.load())?.routes, {})
})

t.test('an audit failure rolls the change back', async t => {
  const failing: AuditLog = { append: async () => { throw Object.assign(new Error('disk full'), { code: 'GW_ERR_AUDIT_WRITE' }) }, list: async () => [] }
  const { svc, store } = await service(failing)
  await t.rejects(svc.patch('users.get', { rolloutPercent: 10 }, { who: 'a', reason: null }), { code: 'GW_ERR_AUDIT_WRITE' })
  t.equal(svc.get('users.get')?.rolloutPercent, 100, 'in memory: old value')
  t.same((await store.load())?.routes, {}, 'persisted: old value')
})

t.test('concurrent patches are serialised: each before is the previous after', async t => {
  const audit = createMemoryAuditLog()
  const { svc } = await service(audit)
  await Promise.all([10, 20, 30, 40].map(p => svc.patch('users.get', { rolloutPercent: p }, { who: 'a', reason: null })))
  const chain = audit.entries.map(e => [(e.before as { rolloutPercent: number }).rolloutPercent, (e.after as { rolloutPercent: number }).rolloutPercent])
  t.same(chain, [[100, 10], [10, 20], [20, 30], [30, 40]])
})

t.test('a remote save (shared store) is adopted; setRoutes keeps overrides of known routes', async t => {
  const { svc, store } = await service()
  const state = (await store.load())!
  state.routes['projects.list'] = { target: 'lambda', rolloutPercent: 5 }
  await store.save(state)
  t.equal(svc.get('projects.list')?.target, 'lambda')
  svc.setRoutes(OPS_ROUTES.filter(r => r.id !== 'users.get'))
  t.equal(svc.get('users.get'), undefined, 'a removed route is gone from the table')
  t.equal(svc.get('projects.list')?.rolloutPercent, 5, 'overrides survive a reload')
  t.equal(svc.definitions().length, 2)
})

t.test('persist() saves last-hit times with the overrides', async t => {
  const { svc, store } = await service()
  svc.lastHit.hitRoute('users.get')
  svc.lastHit.hitFunction('Users-dev')
  await svc.persist()
  t.same((await store.load())?.lastHit, { routes: { 'users.get': 1_000 }, functions: { 'Users-dev': 1_000 } })
})
