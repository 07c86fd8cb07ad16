// A request's life, in order. Each stage is a named fastify-plugin that declares the stage
// before it as a dependency, so registering them in another order (or leaving one out) fails at
// start-up with "The dependency '<stage>' of plugin '<stage>' is not registered" instead of
// silently running a hook too early. Within a Fastify lifecycle phase (onRequest, preValidation,
// onResponse) hooks run in registration order, which is this list's order:
//   tracing        onRequest: the server span starts (the client's trace context accepted or not);
//                  onResponse: it ends with the route, target, rejection and status
//   routing        onRequest: normalise, match, choose the target (a bad path is answered here)
//   guard outcome  onResponse: feeds the rollout guard each request's side, status and latency
//   shadow         onRequest eligibility; preValidation buffers a shadowed body before a permit is
//                  taken; onSend tee; onResponse calls the other side in the background
//   request log    onResponse: the one log line and the request metrics
//   async intake   onRequest: answers async writes and job status itself, holding no legacy permit
//   protection     onRequest admit (rate limits, open breaker), preHandler permit, onResponse finish
//   forward        the catch-all handler: the routed target by name from the registry
// A new concern is one more stage here; a new target is one more entry in the registry.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { fallbackAfterLambdaError, holdPermit, protectionHooks } from '../protection/protection-hooks.plugin.js'
import type { ProtectionHooksOptions } from '../protection/protection-hooks.plugin.js'
import type { GuardController } from '../guard/guard-controller.js'
import type { Permits } from '../targets/target.port.js'
import { registerGuardOutcome } from './guard-outcome.hook.js'
import { requestLogHook } from './request-log.js'
import { routingHook } from './routing-hook.js'
import tracingPlugin from '../tracing/tracing.plugin.js'
import { TRACING_OFF } from '../tracing/tracing.js'
import type { GatewayTracing } from '../tracing/tracing.js'

export const STAGES = ['tracing', 'routing', 'guard-outcome', 'shadow', 'request-log', 'async-intake', 'protection', 'forward'] as const
export type StageName = typeof STAGES[number]

/** The plugin name of a stage (what a dependency error names). */
export const stagePluginName = (stage: StageName): string => `gateway-pipeline-${stage}`

export interface PipelineParts {
  /** The tracer setup (tracing/tracing.ts); default TRACING_OFF. */
  tracing?: GatewayTracing
  /** The rollout guard (with ops only); none = the guard outcome stage adds no hook. */
  guard: Pick<GuardController, 'recordOutcome'> | undefined
  /** shadow/shadow-setup.ts createShadowTraffic().publicPlugin. */
  shadow: FastifyPluginAsync
  /** The async integration's public plugin when a route is async. */
  asyncIntake: FastifyPluginAsync | undefined
  protection: ProtectionHooksOptions
}

export interface Stage {
  name: StageName
  plugin: FastifyPluginAsync
}

function stage (name: StageName, setup: (app: FastifyInstance) => void | Promise<void>): Stage {
  const i = STAGES.indexOf(name)
  const dependencies = i === 0 ? [] : [stagePluginName(STAGES[i - 1]!)]
  return { name, plugin: fp(async (app: FastifyInstance) => { await setup(app) }, { name: stagePluginName(name), dependencies, fastify: '5.x' }) }
}

/** The protection stage's permit, handed to targets (they never import the protection plugin). */
const permits: Permits = { hold: holdPermit, fallback: fallbackAfterLambdaError }

/** The stages in the order they must be registered. */
export function pipelineOf (parts: PipelineParts): Stage[] {
  return [
    stage('tracing', async (app) => { await app.register(tracingPlugin, { tracing: parts.tracing ?? TRACING_OFF }) }),
    stage('routing', (app) => { app.addHook('onRequest', routingHook) }),
    stage('guard-outcome', (app) => { if (parts.guard !== undefined) registerGuardOutcome(app, parts.guard) }),
    stage('shadow', async (app) => { await app.register(parts.shadow) }),
    stage('request-log', (app) => { app.addHook('onResponse', requestLogHook) }),
    stage('async-intake', async (app) => { if (parts.asyncIntake !== undefined) await app.register(parts.asyncIntake) }),
    stage('protection', async (app) => { await app.register(protectionHooks(parts.protection)) }),
    stage('forward', (app) => {
      const targets = app.gateway.targets
      // Not async: the legacy target writes to reply.raw and returns the reply at once, which
      // Fastify awaits as a thenable (reply.then: until the response ends) just as it did the
      // async wrapper's promise, minus that promise and its thenable job per request. A target
      // that returns a promise (the Lambda) is awaited as before; a throw reaches the error
      // handler as a rejection did.
      app.all('/*', (request, reply) => targets.get(request.routing.target).forward(request, reply, permits))
    })
  ]
}

/** Registers the stages in the given order (pipelineOf's, unless a test proves a wrong one fails). */
export async function registerPipeline (app: FastifyInstance, stages: readonly Stage[]): Promise<void> {
  for (const s of stages) await app.register(s.plugin)
}
