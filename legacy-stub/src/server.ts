// The shell: env -> listen -> print the URL -> close cleanly on SIGTERM/SIGINT.
import { capacityFromEnv, listenFromEnv } from './config.js'
import { startLegacyStub } from './start.js'

export { startLegacyStub } from './start.js'
export type { RunningLegacyStub, StartOptions } from './start.js'

async function main (): Promise<void> {
  const listen = listenFromEnv()
  const capacity = capacityFromEnv()
  const stub = await startLegacyStub({ ...listen, ...capacity, logger: { level: process.env.LOG_LEVEL ?? 'warn' } })
  console.log(`legacy-stub listening on ${stub.url} (workers ${capacity.maxConcurrency}, ` +
    `latency ${capacity.latencyMs} ms, queue limit ${capacity.queueLimit})`)
  const stop = (signal: string): void => {
    console.log(`legacy-stub: ${signal}, closing`)
    stub.close().then(() => process.exit(0), (err: unknown) => {
      console.error('legacy-stub: close failed', err)
      process.exit(1)
    })
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

// Run only as the entry point, so the stack launcher can import startLegacyStub from here.
const entry = process.argv[1]
if (entry !== undefined && import.meta.url === new URL(`file://${entry}`).href) {
  main().catch((err: unknown) => {
    console.error('legacy-stub failed to start:', err)
    process.exit(1)
  })
}
