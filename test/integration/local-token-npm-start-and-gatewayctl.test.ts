// Local comfort: without GATEWAY_ADMIN_TOKEN, npm start's token is generated once into the
// state dir with mode 0600 and reused; gatewayctl uses that file for a loopback admin URL only.
import t from 'tap'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureLocalToken, localTokenPath, readLocalToken } from '../../gateway/src/cockpit/local-token.js'
import { run } from '../../gateway/src/cli/main.js'
import { ADMIN_TOKEN, startAdmin } from '../helpers/ops.js'

t.test('generated with mode 0600, reused on the next start', async t => {
  const dir = t.testdir()
  const path = localTokenPath({ GATEWAY_STATE_DIR: join(dir, 'state') })
  t.equal(path, join(dir, 'state', 'admin-token'))
  const first = ensureLocalToken(path)
  t.equal(first.created, true)
  t.match(first.token, /^[A-Za-z0-9_-]{32}$/)
  t.equal(statSync(path).mode & 0o777, 0o600)
  t.same(ensureLocalToken(path), { token: first.token, created: false })
  writeFileSync(path, '', { mode: 0o644 })
  const again = ensureLocalToken(path)
  t.equal(again.created, true, 'an empty file gets a new token')
  t.equal(statSync(path).mode & 0o777, 0o600)
  t.equal(readLocalToken(join(dir, 'missing')), undefined)
})

t.test('gatewayctl reads the file for a loopback URL without a token in its env, never otherwise', async t => {
  const h = await startAdmin(t)
  const dir = t.testdir()
  writeFileSync(join(dir, 'admin-token'), ADMIN_TOKEN + '\n', { mode: 0o600 })
  const ctl = async (env: Record<string, string>): Promise<{ code: number, stderr: string }> => {
    let stderr = ''
    const code = await run(['routes'], { env, stdout: () => {}, stderr: s => { stderr += s } })
    return { code, stderr }
  }
  t.same(await ctl({ GATEWAY_ADMIN_URL: h.url, GATEWAY_STATE_DIR: dir }), { code: 0, stderr: '' })
  const localhost = h.url.replace('127.0.0.1', 'localhost')
  t.equal((await ctl({ GATEWAY_ADMIN_URL: localhost, GATEWAY_STATE_DIR: dir })).code, 0)
  const wrongEnv = await ctl({ GATEWAY_ADMIN_URL: h.url, GATEWAY_STATE_DIR: dir, GATEWAY_ADMIN_TOKEN: 'wrong' })
  t.equal(wrongEnv.code, 4, 'a token in the environment wins over the file')
  const empty = t.testdir()
  t.match(await ctl({ GATEWAY_ADMIN_URL: h.url, GATEWAY_STATE_DIR: empty }), { code: 4, stderr: /GATEWAY_ADMIN_TOKEN is not set/ })
  // A non-loopback admin URL never gets the local token (it would leave the machine).
  let sentAuth: string | null = 'unset'
  const spy: typeof fetch = async (_input, init) => {
    sentAuth = new Headers(init?.headers).get('authorization')
    return new Response(JSON.stringify({ routes: [] }), { status: 200 })
  }
  const code = await run(['routes'], { env: { GATEWAY_ADMIN_URL: 'http://10.1.2.3:9090', GATEWAY_STATE_DIR: dir }, stdout: () => {}, stderr: () => {}, fetch: spy })
  t.equal(code, 0)
  t.equal(sentAuth, null)
})
