// The shell (`node dist/lambdas/runtime/server.js` in the image, here from source): settings
// from env, prints its URL, answers, and exits 0 on SIGTERM; a bad setting exits 1 with a message.
import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { FIXTURE_TEMPLATE } from '../helpers/lambda-runtime.js'

const server = fileURLToPath(new URL('../../lambdas/runtime/server.ts', import.meta.url))

t.test('starts from env, serves, stops on SIGTERM', async t => {
  const child = spawn(process.execPath, [...process.execArgv, server], {
    env: { ...process.env, LAMBDA_RUNTIME_PORT: '0', LAMBDA_TEMPLATE: FIXTURE_TEMPLATE },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.once('exit', code => reject(new Error(`exited ${code}: ${out}`)))
  })
  t.match(out, /Echo-TEST/)
  const res = await fetch(`${url}/2015-03-31/functions/Echo-TEST/invocations`, { method: 'POST', body: '{"n":1}' })
  t.equal(res.status, 200)
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0)
})

t.test('a bad setting exits 1 with the reason', async t => {
  const child = spawn(process.execPath, [...process.execArgv, server], {
    env: { ...process.env, LAMBDA_RUNTIME_PORT: 'abc', LAMBDA_TEMPLATE: FIXTURE_TEMPLATE },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let err = ''
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(err, /LAMBDA_RUNTIME_PORT must be a port number, found "abc"/)
})
