// Dead letters are listed and replayable: /admin/jobs* are bearer-protected like the rest of the
// admin API, and `gatewayctl jobs list|show|retry|purge-dead` drive them. A replayed job is
// delivered with its original Idempotency-Key once legacy accepts it.
import t from 'tap'
import { startTestLegacyStub } from '../helpers/legacy-stub.js'
import { ASYNC_ADMIN_TOKEN, postBilling, startAsyncGateway, waitFor } from '../helpers/async.js'
import { runCli } from '../helpers/ops-cli.js'

t.test('admin job endpoints and gatewayctl jobs', async t => {
  const stub = await startTestLegacyStub(t, { maxConcurrency: 4, latencyMs: 1, random: () => 0 })
  const gw = await startAsyncGateway(t, {
    legacyUrl: stub.url, dataDir: t.testdir(), route: { maxAttempts: 2 }, legacy: { breaker: { volumeThreshold: 1000 } }
  })
  const env = { GATEWAY_ADMIN_URL: gw.adminUrl, GATEWAY_ADMIN_TOKEN: ASYNC_ADMIN_TOKEN }

  const noToken = await fetch(`${gw.adminUrl}/admin/jobs`)
  t.equal(noToken.status, 401, 'bearer token required')
  t.equal((await runCli(['jobs', 'list'], { ...env, GATEWAY_ADMIN_TOKEN: 'wrong' })).code, 4)

  await stub.faults({ errorRate: 1 })
  const { json } = await postBilling(gw.url, 1, { 'idempotency-key': 'replay-me' })
  const id = json.jobId as string
  await waitFor('dead', async () => (await gw.jobs.queue.get(id))?.state === 'dead')

  const listed = await runCli(['jobs', 'list', 'dead', '--json'], env)
  t.equal(listed.code, 0, listed.stderr)
  const parsed = JSON.parse(listed.stdout) as { counts: Record<string, number>, jobs: Array<{ id: string, state: string }> }
  t.equal(parsed.counts.dead, 1)
  t.same(parsed.jobs.map(j => j.id), [id])
  const table = await runCli(['jobs', 'list'], env)
  t.match(table.stdout, /dead 1/)
  t.match(table.stdout, new RegExp(`${id}\\s+billings.create\\s+dead\\s+2/2`))

  const shown = await runCli(['jobs', 'show', id], env)
  t.equal(shown.code, 0)
  t.match(shown.stdout, /idempotency-key\s+replay-me/)
  t.match(shown.stdout, /legacy answered 500/)
  t.equal((await runCli(['jobs', 'show', 'AAAAAAAAAAAAAAAAAAAAAA'], env)).code, 5, 'unknown job → exit 5')

  await stub.faults({ errorRate: 0 })
  const retried = await runCli(['jobs', 'retry', id], env)
  t.equal(retried.code, 0, retried.stderr)
  t.match(retried.stdout, `job ${id} requeued`)
  await waitFor('replayed job delivered', async () => (await gw.jobs.queue.get(id))?.state === 'delivered')
  const billings = await (await fetch(`${stub.url}/api/Billings`)).json() as Array<{ IdempotencyKey: string }>
  t.same(billings.map(b => b.IdempotencyKey), ['replay-me'], 'delivered once, with the original key')
  const again = await runCli(['jobs', 'retry', id], env)
  t.equal(again.code, 6, 'a delivered job is not replayable')
  t.match(again.stderr, /only dead or failed jobs/)

  await stub.faults({ errorRate: 1 })
  const second = (await postBilling(gw.url, 2)).json.jobId as string
  await waitFor('second dead', async () => (await gw.jobs.queue.get(second))?.state === 'dead')
  const purged = await runCli(['jobs', 'purge-dead'], env)
  t.equal(purged.code, 0)
  t.equal(purged.stdout, '1 dead job(s) purged\n')
  t.equal((await gw.jobs.queue.get(second)), undefined)
  t.equal((await gw.jobs.queue.get(id))?.state, 'delivered', 'delivered jobs are kept')
  t.equal((await runCli(['jobs', 'list', 'bogus'], env)).code, 2, 'unknown state → usage error')
})
