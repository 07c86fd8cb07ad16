// GET /admin/unused reports routes and functions without traffic for N days by the injected clock.
import t from 'tap'
import { ADMIN_TOKEN, adminFetch, startAdmin } from '../helpers/ops.js'

const DAY = 86_400_000

t.test('unused routes and functions appear as the clock advances', async t => {
  const h = await startAdmin(t)
  const unused = async (days: number): Promise<{ routes: string[], functions: string[] }> => {
    const { json } = await adminFetch(h.url, `/admin/unused?days=${days}`, { token: ADMIN_TOKEN })
    return { routes: json.routes.map((r: { id: string }) => r.id), functions: json.functions.map((f: { id: string }) => f.id) }
  }
  t.same(await unused(7), { routes: [], functions: [] }, 'just started: nothing can be called unused yet')
  h.clock.now += 3 * DAY
  h.routeState.lastHit.hitRoute('users.get')
  h.routeState.lastHit.hitFunction('Users-dev')
  h.clock.now += 5 * DAY
  t.same(await unused(7), { routes: ['billings.post', 'projects.list'], functions: ['Projects-dev'] }, 'never hit for 8 days')
  h.clock.now += 3 * DAY
  t.same(await unused(7), { routes: ['billings.post', 'projects.list', 'users.get'], functions: ['Projects-dev', 'Users-dev'] })
  const { json } = await adminFetch(h.url, '/admin/unused?days=7', { token: ADMIN_TOKEN })
  t.match(json, { days: 7, now: '2026-01-12T00:00:00.000Z', firstStartedAt: '2026-01-01T00:00:00.000Z' })
  t.match(json.routes[2], { id: 'users.get', lastHit: '2026-01-04T00:00:00.000Z', idleDays: 8 })
})
