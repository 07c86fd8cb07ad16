/* eslint-disable no-template-curly-in-string -- the tests are about the literal ${VAR} syntax */
// distributed.replicaId: a stable id from the env (${POD_NAME}) is taken as is; absent or empty
// (an unset ${POD_NAME:-}) means "generated per process" (replicaIdOf → undefined); anything
// outside [A-Za-z0-9._-]{1,64} is refused at load, naming the field.
import t from 'tap'
import { parseConfig } from '../../gateway/src/config/load-config.js'
import { replicaIdOf } from '../../gateway/src/distributed/replica-id.js'
import { problemsOf, thrown } from '../helpers/config.js'

const doc = (replicaId: string | undefined): string => `
stage: dev
legacy: { url: http://127.0.0.1:9 }
routes: [{ id: r, methods: [GET], path: /r, target: legacy }]
distributed: { keyPrefix: 'gw:'${replicaId === undefined ? '' : `, replicaId: '${replicaId}'`} }
`

t.test('a stable id from the env, absent or empty = generated', async t => {
  t.equal(replicaIdOf(parseConfig(doc('${POD_NAME}'), { env: { POD_NAME: 'gateway-0' } }).distributed), 'gateway-0')
  t.equal(replicaIdOf(parseConfig(doc('web.eu-1_A'), { env: {} }).distributed), 'web.eu-1_A')
  t.equal(replicaIdOf(parseConfig(doc('${POD_NAME:-}'), { env: {} }).distributed), undefined, 'empty: generated per process')
  t.equal(replicaIdOf(parseConfig(doc(undefined), { env: {} }).distributed), undefined, 'absent: generated per process')
  t.equal(replicaIdOf(parseConfig(doc('x'.repeat(64)), { env: {} }).distributed), 'x'.repeat(64))
})

t.test('ids outside [A-Za-z0-9._-]{1,64} are refused, naming the field', async t => {
  for (const bad of ['gw:0', 'pod 0', 'x'.repeat(65), 'a/b']) {
    const problems = problemsOf(thrown(() => parseConfig(doc(bad), { env: {} })))
    t.ok(problems.some(p => p.path === 'distributed.replicaId'), `"${bad}" refused: ${JSON.stringify(problems.map(p => p.path))}`)
  }
})
