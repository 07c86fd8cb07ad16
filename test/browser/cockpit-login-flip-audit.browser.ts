// In a real browser against the real stack: a wrong token is refused; the generated token logs
// in; every route is listed; budgets.get is flipped to lambda with a reason (the next
// /api/budgets/1 is answered by the Lambda, the audit entry shows); a reason carrying markup is
// shown as text (no dialog fires); a stale page's flip is refused with a clear message.
import t from 'tap'
import { adminApi, confirmWith, login, startWorld } from './cockpit-world.js'

const ROUTES = ['users.list', 'users.get', 'projects.list', 'projects.get', 'projects.create', 'budgets.get', 'billings.create']
const XSS = '<img src=x onerror=alert(1)>'

t.test('cockpit: login, routes, flip, audit, markup as text, stale refused', async t => {
  const w = await startWorld(t)
  const page = w.page
  t.match(w.banner, `cockpit         ${w.adminUrl}/ui/`)
  t.match(w.banner, w.token, 'the token is printed as the login hint')
  t.notMatch(w.banner, new RegExp(`https?://\\S*${w.token}`), 'never inside a URL')

  await login(w, page, 'wrong-token-0123456789')
  await page.getByText(/Login refused: admin API: that token is not an admin token/).waitFor()
  t.equal(await page.locator('#main').isHidden(), true, 'the app stays hidden')

  // First load after login, as transferred (gzip): page, styles, scripts and the API answers.
  const sizes: number[] = []
  const onResponse = (r: { headers: () => Record<string, string> }): void => { sizes.push(Number(r.headers()['content-length'] ?? 0)) }
  page.on('response', onResponse)
  await login(w, page, w.token)
  await page.getByText('logged in as admin').waitFor()
  await page.locator('#routes-on-lambda').waitFor()
  page.off('response', onResponse)
  const bytes = sizes.reduce((a, b) => a + b, 0)
  t.ok(bytes > 5_000 && bytes < 200_000, `first load transferred ${bytes} bytes in ${sizes.length} responses (< 200 KB)`)
  console.log(`# cockpit first load: ${bytes} bytes in ${sizes.length} responses`)

  await page.getByRole('link', { name: 'Routes' }).click()
  const table = page.locator('#routes-table')
  await table.waitFor()
  const ids = await table.locator('tbody th a').allTextContents()
  const configured = (await adminApi(w, 'GET', '/admin/routes')).json.routes.map((r: { id: string }) => r.id)
  t.same([...ids].sort(), [...configured].sort(), 'every configured route is in the table')
  t.ok(ROUTES.filter(id => configured.includes(id)).length >= 5)

  t.equal((await fetch(`${w.gatewayUrl}/api/budgets/1`)).headers.get('x-gateway-target'), 'legacy')
  await table.getByRole('link', { name: 'budgets.get' }).click()
  await page.getByRole('heading', { name: 'Route budgets.get' }).waitFor()
  await page.getByRole('button', { name: 'Flip to lambda' }).click()
  await page.locator('#confirm-change').getByText('budgets.get: target legacy → lambda').waitFor()
  await confirmWith(page, `move budgets ${XSS}`)
  await page.locator('#detail-target').getByText('lambda').waitFor()
  const next = await fetch(`${w.gatewayUrl}/api/budgets/1`)
  t.equal(next.status, 200)
  t.equal(next.headers.get('x-gateway-target'), 'lambda', 'the next request is answered by the Lambda')
  const reasonCell = page.locator('td.reason', { hasText: `move budgets ${XSS}` }).first()
  await reasonCell.waitFor()
  t.equal(await reasonCell.textContent(), `move budgets ${XSS}`, 'the reason is shown as text')
  t.equal(await page.locator('#main img').count(), 0, 'no element was created from the reason')
  const audit = (await adminApi(w, 'GET', '/admin/audit?limit=5')).json.entries[0]
  t.match(audit, { who: 'admin', action: 'route.patch', routeId: 'budgets.get', reason: `move budgets ${XSS}`, after: { target: 'lambda' } })

  await page.getByRole('link', { name: 'Audit' }).click()
  await page.getByRole('heading', { name: 'Audit timeline' }).waitFor()
  await page.locator('td.reason', { hasText: XSS }).first().waitFor()
  t.same(w.dialogs, [], 'no dialog fired: the markup never ran')

  // Async jobs: counts by state and the dead letters of the shipped async route.
  await page.getByRole('link', { name: 'Async jobs' }).click()
  await page.getByRole('heading', { name: 'Dead letters' }).waitFor()
  t.match(await page.getByRole('list', { name: 'Jobs by state' }).textContent(), /queued: \d+.*dead: \d+/)

  // A stale page: the dialog opened on version N, someone else changes the route, then Apply.
  await page.goto(`${w.adminUrl}/ui/#/route/budgets.get`)
  await page.getByRole('button', { name: 'Flip to legacy' }).click()
  const other = await adminApi(w, 'PATCH', '/admin/routes/budgets.get', { rolloutPercent: 50, reason: 'someone else' })
  t.equal(other.status, 200)
  await confirmWith(page, 'back to legacy')
  await page.locator('#confirm-error').getByText(/Refused: this route was changed by someone else since this page loaded it\. Nothing was changed\./).waitFor()
  t.equal((await adminApi(w, 'GET', '/admin/routes/budgets.get')).json.route.target, 'lambda', 'the stale flip changed nothing')
  await page.locator('#confirm').getByRole('button', { name: 'Cancel' }).click()
  await page.getByText(/rollout 50%, shadow off/).waitFor()
  t.pass('after Cancel the page shows the change made by the other operator')
  t.same(w.dialogs, [])
  t.notMatch(w.consoleLines.join('\n'), /Content Security Policy|Refused to (execute|apply|load)/, 'the page runs under its CSP without a violation')
})
