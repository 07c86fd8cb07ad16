// Sticky gradual rollout through the product: `gatewayctl rollout` (PATCH rolloutPercent) at
// 10 %, 50 %, 100 % on users.get (stickyBy header:x-user-id). The share of distinct users sent to
// the Lambda is within statistical bounds of the percentage, each user gets the same side on a
// repeat, and nobody on the Lambda at a lower percentage goes back to legacy at a higher one.
import t from 'tap'
import { startFakeInvokeApi } from '../fixtures/lambda-target/fake-invoke-api.js'
import { startOrigin } from '../helpers/gateway.js'
import { admin, startWiredGateway, wiredConfig } from '../helpers/wired-gateway.js'

const USERS = Array.from({ length: 300 }, (_, i) => `user-${i}`)
// Binomial sd at n=300: sqrt(.5·.5/300) ≈ 2.9 %; ±9 % is > 3 sd, so this never flakes.
const TOLERANCE = 0.09

async function sides (url: string, users: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (let i = 0; i < users.length; i += 20) {
    await Promise.all(users.slice(i, i + 20).map(async user => {
      const res = await fetch(`${url}/api/users/7`, { headers: { 'x-user-id': user } })
      const body = await res.text()
      if (res.status !== 200) throw new Error(`${user}: ${res.status} ${body}`)
      const answered = body.includes('"from":"lambda"') ? 'lambda' : 'legacy'
      if (answered !== res.headers.get('x-gateway-target')) throw new Error(`${user}: header and answer disagree`)
      out.set(user, answered)
    }))
  }
  return out
}

const onLambda = (m: Map<string, string>): string[] => [...m].filter(([, side]) => side === 'lambda').map(([user]) => user)

t.test('10 % → 50 % → 100 %: expected share, sticky per user, monotone', async t => {
  const legacy = await startOrigin(t, (_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"from":"legacy"}') })
  const lambda = await startFakeInvokeApi({
    'Users-DEV': () => ({ kind: 'result', value: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"from":"lambda"}' } })
  })
  t.teardown(() => lambda.close())
  // Generous legacy shield: this test is about the split, not about shedding.
  const gw = await startWiredGateway(t, { doc: wiredConfig({ legacyUrl: legacy.url, lambdaEndpoint: lambda.url, legacy: { maxConcurrency: 32, queue: { maxSize: 64, maxWaitMs: 5000 } } }) })

  let previous: string[] = []
  for (const percent of [10, 50, 100]) {
    const set = await admin(gw, '/admin/routes/users.get', { method: 'PATCH', body: { rolloutPercent: percent, reason: `canary ${percent}%` } })
    t.equal(set.status, 200)
    const first = await sides(gw.url, USERS)
    const again = await sides(gw.url, USERS)
    const share = onLambda(first).length / USERS.length
    t.comment(`${percent}%: ${(share * 100).toFixed(1)} % of ${USERS.length} users on the Lambda`)
    t.ok(Math.abs(share - percent / 100) <= TOLERANCE, `${percent}%: share ${(share * 100).toFixed(1)} % within ±${TOLERANCE * 100} %`)
    t.same(again, first, `${percent}%: every user got the same side again (sticky)`)
    t.same(previous.filter(u => first.get(u) !== 'lambda'), [], `${percent}%: nobody already on the Lambda went back to legacy`)
    previous = onLambda(first)
  }
  t.equal(previous.length, USERS.length, '100 %: everyone on the Lambda')

  // Without the sticky key the side is random per request, but still the right share overall.
  await admin(gw, '/admin/routes/users.get', { method: 'PATCH', body: { rolloutPercent: 50 } })
  let lambdaAnswers = 0
  for (let i = 0; i < 200; i += 20) {
    const batch = await Promise.all(Array.from({ length: 20 }, async () => {
      const res = await fetch(`${gw.url}/api/users/7`)
      await res.arrayBuffer()
      return res.headers.get('x-gateway-target')
    }))
    lambdaAnswers += batch.filter(s => s === 'lambda').length
  }
  t.ok(lambdaAnswers > 200 * (0.5 - TOLERANCE * 1.5) && lambdaAnswers < 200 * (0.5 + TOLERANCE * 1.5), `key-less at 50 %: ${lambdaAnswers}/200 on the Lambda`)
})
