// The request pipeline is one ordered list of named stages (gateway/src/pipeline/pipeline.ts),
// each declaring the stage before it: registering them in another order, or leaving one out,
// fails at start-up with an error naming both stages, instead of running a hook too early.
import t from 'tap'
import Fastify from 'fastify'
import { pipelineOf, registerPipeline, STAGES, stagePluginName } from '../../gateway/src/pipeline/pipeline.js'
import type { Stage } from '../../gateway/src/pipeline/pipeline.js'
import { build } from '../../gateway/src/app.js'
import { createLogger } from '../../gateway/src/logging.js'
import { testConfig } from '../helpers/gateway.js'

const stages = (): Stage[] => pipelineOf({ guard: undefined, shadow: async () => {}, asyncIntake: undefined, protection: {} })

t.test('the declared order is the documented one, and build() starts with it', async t => {
  t.same(stages().map(s => s.name), ['routing', 'guard-outcome', 'shadow', 'request-log', 'async-intake', 'protection', 'forward'])
  t.same(STAGES, stages().map(s => s.name))
  const app = await build(testConfig({ routes: [] }), { logger: createLogger({ level: 'silent' }), processMetrics: false })
  t.teardown(() => app.close())
  await t.resolves(async () => { await app.public.ready() })
})

t.test('protection registered before the async intake fails at start-up, naming both stages', async t => {
  const list = stages()
  const i = list.findIndex(s => s.name === 'protection')
  ;[list[i - 1], list[i]] = [list[i]!, list[i - 1]!]
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(registerPipeline(app, list).then(() => app.ready()), {
    message: `The dependency '${stagePluginName('async-intake')}' of plugin '${stagePluginName('protection')}' is not registered`
  })
})

t.test('a stage left out fails at start-up too', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(registerPipeline(app, stages().filter(s => s.name !== 'shadow')).then(() => app.ready()), {
    message: `The dependency '${stagePluginName('shadow')}' of plugin '${stagePluginName('request-log')}' is not registered`
  })
})
