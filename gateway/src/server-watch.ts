// The shell's config watch: a change to the config file or its stage overlay reloads the app
// (app-reload.ts), and the outcome, applied or refused, is audited as who = config-watch.
import type { FastifyBaseLogger } from 'fastify'
import type { GatewayApp } from './app.js'
import { watchConfig } from './config/watch-config.js'
import type { ConfigWatcher } from './config/watch-config.js'
import type { AuditLog } from './ops/audit-log.js'

/** Who file-watch reloads are audited as. */
export const FILE_WATCH_ACTOR = 'config-watch'

export interface WatchAndReloadOptions {
  files: string[]
  app: Pick<GatewayApp, 'reload'>
  audit: Pick<AuditLog, 'append'>
  logger: FastifyBaseLogger
  /** Debounce of the watch in ms; default watchConfig's. */
  debounceMs?: number | undefined
}

export function watchAndReload (o: WatchAndReloadOptions): ConfigWatcher {
  const { app, audit, logger } = o
  return watchConfig({
    files: o.files,
    ...(o.debounceMs === undefined ? {} : { debounceMs: o.debounceMs }),
    onError: (err) => { logger.warn({ err: err.message }, 'config watch: a directory cannot be watched') },
    onChange: () => {
      app.reload().then(async (outcome) => {
        await audit.append({
          who: FILE_WATCH_ACTOR,
          action: outcome.ok ? 'config.reload' : 'config.reload.refused',
          routeId: null,
          before: null,
          after: outcome.ok ? { ok: true, restartRequired: outcome.restartRequired } : { errors: outcome.errors },
          reason: 'config file changed'
        })
      }).catch((err: unknown) => { logger.error({ err }, 'config watch: reload failed') })
    }
  })
}
