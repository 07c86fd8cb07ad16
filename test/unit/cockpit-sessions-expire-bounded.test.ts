// Cockpit sessions are short-lived (absolute expiry), bounded (oldest dropped), kept as digests,
// and the CSRF and cookie helpers accept only exact values.
import t from 'tap'
import { MAX_SESSIONS, SessionStore, cookieValue, csrfMatches } from '../../gateway/src/cockpit/sessions.js'

t.test('a session expires after its TTL', async t => {
  const clock = { now: 1_000 }
  const store = new SessionStore(() => clock.now, 60_000)
  const { id, session } = store.create('alice')
  t.same(store.get(id), session)
  t.equal(session.expiresAt, 61_000)
  clock.now = 60_999
  t.equal(store.get(id)?.who, 'alice')
  clock.now = 61_000
  t.equal(store.get(id), undefined)
  t.equal(store.size, 0, 'an expired session is dropped when seen')
  t.equal(store.get(undefined), undefined)
  t.equal(store.get(''), undefined)
})

t.test('bounded: the oldest session goes first; ids are random and not stored as given', async t => {
  const store = new SessionStore(() => 0, 60_000)
  const first = store.create('a')
  const ids = new Set([first.id])
  for (let i = 1; i < MAX_SESSIONS + 5; i++) ids.add(store.create('a').id)
  t.equal(ids.size, MAX_SESSIONS + 5)
  t.equal(store.size, MAX_SESSIONS)
  t.equal(store.get(first.id), undefined)
  t.notMatch(JSON.stringify([...(store as unknown as { sessions: Map<string, unknown> }).sessions.keys()]), first.id)
})

t.test('csrf and cookie parsing', async t => {
  const { session } = new SessionStore().create('x')
  t.ok(csrfMatches(session, session.csrf))
  t.notOk(csrfMatches(session, session.csrf + 'x'))
  t.notOk(csrfMatches(session, undefined))
  t.notOk(csrfMatches(session, [session.csrf]))
  t.equal(cookieValue('a=1; gw_cockpit=abc; b=2', 'gw_cockpit'), 'abc')
  t.equal(cookieValue('xgw_cockpit=abc', 'gw_cockpit'), undefined)
  t.equal(cookieValue(undefined, 'gw_cockpit'), undefined)
})
