// Build and listen, for the shell, the stack launcher and tests.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildLegacyStub } from './app.js'
import type { LegacyStubOptions } from './app.js'
import { DEFAULT_LISTEN } from './config.js'

export interface StartOptions extends LegacyStubOptions {
  /** Default 5000; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
}

export interface RunningLegacyStub {
  /** e.g. http://127.0.0.1:5000 (no trailing slash) */
  url: string
  app: FastifyInstance
  /** Stops listening and closes every connection. Safe to call twice. */
  close: () => Promise<void>
}

export async function startLegacyStub (opts: StartOptions = {}): Promise<RunningLegacyStub> {
  const { port = DEFAULT_LISTEN.port, host = DEFAULT_LISTEN.host, ...appOpts } = opts
  const app = buildLegacyStub(appOpts)
  await app.listen({ port, host })
  const address = app.server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  return {
    url: `http://${shownHost}:${address.port}`,
    app,
    close: async () => {
      closing ??= app.close()
      await closing
    }
  }
}
