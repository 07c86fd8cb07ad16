// In a real browser against the real stack: a rollout step set on the page splits the traffic
// (both sides in the route's chart and in its context's Lambda share); shadow turned on for
// users.get shows the known hiredOn difference; the page works with every request except to
// the admin origin blocked, and fits a phone-width window.
import t from 'tap'
import { adminApi, confirmWith, login, startWorld } from './cockpit-world.js'

t.test('cockpit: rollout split, shadow diff, offline, phone width', async t => {
  const w = await startWorld(t)
  const adminOrigin = new URL(w.adminUrl).origin
  const blocked: string[] = []
  await w.browser.route('**/*', async route => {
    if (new URL(route.request().url()).origin === adminOrigin) return route.continue()
    blocked.push(route.request().url())
    return route.abort()
  })
  const page = w.page
  await login(w, page, w.token)
  await page.getByText('logged in as admin').waitFor()

  // Rollout: budgets.get on lambda at 50%, set from the page's step control.
  t.equal((await adminApi(w, 'PATCH', '/admin/routes/budgets.get', { target: 'lambda', reason: 'start canary' })).status, 200)
  await page.goto(`${w.adminUrl}/ui/#/route/budgets.get`)
  await page.getByRole('heading', { name: 'Route budgets.get' }).waitFor()
  await page.getByLabel('Rollout step').selectOption('50')
  await page.getByRole('button', { name: 'Set rollout' }).click()
  await page.locator('#confirm-change').getByText('budgets.get: rollout 100% → 50%').waitFor()
  await confirmWith(page, 'canary 50%')
  await page.getByText(/rollout 50%, shadow off/).waitFor()
  const sides = { legacy: 0, lambda: 0 }
  for (let i = 0; i < 40; i++) {
    const res = await fetch(`${w.gatewayUrl}/api/budgets/1`, { headers: { 'x-user-id': `u${i}` } })
    await res.arrayBuffer()
    sides[res.headers.get('x-gateway-target') as 'legacy' | 'lambda']++
  }
  t.ok(sides.legacy > 0 && sides.lambda > 0, `both sides answered (${JSON.stringify(sides)})`)
  const chart = page.getByRole('img', { name: /^Requests per 10 s:/ })
  await chart.and(page.locator(`[aria-label*="legacy ${sides.legacy}, lambda ${sides.lambda} requests"]`)).waitFor({ timeout: 15_000 })
  t.equal(await chart.locator('path[data-series="lambda"]').getAttribute('d').then(d => /L/.test(d ?? '')), true, 'the Lambda line is drawn')
  await page.screenshot({ path: 'docs/img/cockpit-route-detail.png' })
  await page.getByRole('link', { name: 'Overview' }).click()
  const share = page.getByRole('img', { name: /^Context budgets: share answered by Lambda:/ })
  await share.waitFor()
  t.match(await share.getAttribute('aria-label'), new RegExp(`of ${sides.legacy + sides.lambda} requests in the last hour`))
  await page.screenshot({ path: 'docs/img/cockpit-overview.png' })

  // Shadow on users.get from the page, then traffic: the hiredOn difference shows.
  await page.goto(`${w.adminUrl}/ui/#/route/users.get`)
  await page.getByRole('button', { name: 'Shadow on' }).click()
  await confirmWith(page, 'compare before users move')
  await page.getByRole('button', { name: 'Shadow off' }).waitFor()
  for (const id of [1, 3]) await (await fetch(`${w.gatewayUrl}/api/users/${id}`)).arrayBuffer()
  const diffs = page.locator('#diffs-table')
  await diffs.waitFor({ timeout: 15_000 })
  const row = diffs.locator('tbody tr', { hasText: /hiredon/i }).first()
  await row.waitFor()
  const cells = await row.locator('td').allTextContents()
  t.match(cells[2], /^\$\.hiredon$/i, 'the JSON path')
  t.match(cells[3], /^"\d{4}-\d\d-\d\d"$/, 'legacy sends a date')
  t.match(cells[4], /^"\d{4}-\d\d-\d\dT00:00:00\.000Z"$/, 'the Lambda sends a date-time')
  t.match(await page.locator('#shadow-counts').textContent(), /mismatch [1-9]/)

  // Phone width: the page reflows (wide tables scroll inside their box).
  await page.setViewportSize({ width: 390, height: 800 })
  await page.goto(`${w.adminUrl}/ui/#/routes`)
  await page.locator('#routes-table').waitFor()
  // Evaluated in the page (a string: the test's tsconfig has no DOM types).
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as number
  t.ok(overflow <= 0, `no horizontal page scroll at 390 px (overflow ${overflow})`)
  // Keyboard: the sort buttons are reachable and work with Enter.
  await page.getByRole('button', { name: /^Target/ }).focus()
  await page.keyboard.press('Enter')
  await page.locator('th[aria-sort="ascending"]', { hasText: 'Target' }).waitFor()

  t.same(blocked, [], 'the page asked for nothing outside the admin origin')
  t.same(w.dialogs, [])
  t.notMatch(w.consoleLines.join('\n'), /Content Security Policy|Refused to (execute|apply|load)/, 'the page runs under its CSP without a violation')
})
