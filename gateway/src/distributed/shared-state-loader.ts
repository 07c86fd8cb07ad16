// Loads the shared route state of a replica once Redis can be read. A replica that started
// while Redis was unreachable serves the configured routes without overrides; it must not stay
// that way until a restart. So the first load is retried on every recovery of the degraded
// mode (and on a timer, in case it failed for a reason the recovery probe does not see), and
// after it succeeds the store's pub/sub keeps the state current like on any other replica.
import type { RouteStateService } from '../ops/route-state-service.js'
import type { DegradedMode } from './degraded-mode.js'

export interface LoaderLogger {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
}

export class SharedStateLoader {
  /** Why Redis was unreachable at start ('' when it was reachable). */
  readonly startCause: string
  readonly #routeState: Pick<RouteStateService, 'init'>
  readonly #logger: LoaderLogger
  readonly #retryMs: number
  #loaded = false
  #loading: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #unsubscribe: (() => void) | undefined
  #closed = false

  constructor (routeState: Pick<RouteStateService, 'init'>, degraded: DegradedMode, logger: LoaderLogger, retryMs = 2000) {
    this.#routeState = routeState
    this.#logger = logger
    this.#retryMs = retryMs
    this.startCause = degraded.cause ?? ''
    if (degraded.degraded) {
      this.#unsubscribe = degraded.onDegradedChange(d => { if (!d) this.#attempt() })
    }
  }

  /** True once the shared route state was read (after that, pub/sub keeps it current). */
  get loaded (): boolean { return this.#loaded }

  /** Reads the shared state (RouteStateService.init); concurrent calls share one read. */
  load (): Promise<void> {
    if (this.#loaded) return Promise.resolve()
    this.#loading ??= this.#routeState.init().then(() => {
      this.#loaded = true
      this.#stop()
    }).finally(() => { this.#loading = undefined })
    return this.#loading
  }

  close (): void {
    this.#closed = true
    this.#stop()
  }

  #attempt (): void {
    if (this.#closed || this.#loaded) return
    this.load().then(() => {
      this.#logger.info({ distributed: 'shared-state-loaded' }, 'redis reachable: shared route state loaded, overrides of other replicas in effect')
    }, (err: unknown) => {
      this.#logger.warn({ distributed: 'shared-state-load-failed', err }, 'redis back but the shared route state could not be read; retrying')
      clearTimeout(this.#timer)
      this.#timer = setTimeout(() => { this.#attempt() }, this.#retryMs)
      this.#timer.unref()
    })
  }

  #stop (): void {
    clearTimeout(this.#timer)
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
  }
}
