// The runtime shell: settings from env, listen, print the URL, stop cleanly on SIGTERM/SIGINT.
import { pathToFileURL } from 'node:url'
import { readRuntimeEnv } from './runtime-env.js'
import { startLambdaRuntime } from './runtime.js'

export async function main (): Promise<void> {
  const settings = readRuntimeEnv()
  const runtime = await startLambdaRuntime({
    ...settings,
    logger: { info: m => console.log(m), warn: m => console.warn(m), error: m => console.error(m) }
  })
  console.log(`lambda runtime listening on ${runtime.url} (${runtime.functions().map(f => f.name).join(', ')})`)
  const stop = (signal: string): void => {
    console.log(`lambda runtime: ${signal}, stopping`)
    runtime.close().then(() => process.exit(0), err => {
      console.error(err)
      process.exit(1)
    })
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch(err => {
    console.error(`lambda runtime: ${(err as Error).message}`)
    process.exit(1)
  })
}
