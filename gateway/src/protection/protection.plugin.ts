// Fastify plugin: decorates `app.protection` (the shields, breakers and rate limiter built from
// config) and shuts the breakers' timers down on close. The request path stays in the app:
// the handler calls `app.protection.legacy.run(ctx, fn)` (or `.lambda(fn, settings).run`) and the
// error handler answers rejections with `sendRejection` (rejection-reply.ts).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Protection } from './protection.js'
import type { LegacyProtectionInput, ProtectionDeps } from './protection.js'

declare module 'fastify' {
  interface FastifyInstance {
    protection: Protection
  }
}

export interface ProtectionPluginOptions {
  /** A prebuilt instance (tests, or an app that binds hooks itself) ... */
  protection?: Protection
  /** ... or the legacy settings + deps to build one. */
  legacy?: LegacyProtectionInput
  deps?: ProtectionDeps
}

async function protectionPluginImpl (app: FastifyInstance, opts: ProtectionPluginOptions): Promise<void> {
  const protection = opts.protection ??
    new Protection(opts.legacy, { logger: app.log, ...opts.deps })
  app.decorate('protection', protection)
  app.addHook('onClose', async () => { protection.close() })
}

export const protectionPlugin = fp(protectionPluginImpl, { name: 'gateway-protection', fastify: '5.x' })
