// Parent side of the distributed-state scenario: spawns gateway replicas (distributed-child),
// waits for their ready lines, stops them with SIGTERM (SIGKILL after 8 s).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { stopChild, whenReady } from './child.js'
import { repoRoot } from './repo-root.js'
import type { DistributedChildSpec } from './distributed-child.js'

export interface RunningReplica {
  url: string
  adminUrl: string
  stateMode: string
  stop: () => Promise<void>
}

let bundled: Promise<string> | undefined

/**
 * The child entry: the compiled .js next to this file (npm run bench runs dist/), else (tap's
 * TypeScript loader) the .ts bundled once with esbuild — a child compiling the whole gateway
 * through the loader takes tens of seconds on a loaded machine.
 */
async function entry (): Promise<string> {
  const js = fileURLToPath(new URL('./distributed-child.js', import.meta.url))
  if (existsSync(js)) return js
  bundled ??= (async () => {
    const { build } = await import('esbuild')
    // Inside the repo so the external packages resolve from its node_modules.
    const dir = join(repoRoot(), 'node_modules', '.cache', 'bench-distributed-child')
    mkdirSync(dir, { recursive: true })
    const outfile = join(dir, `distributed-child-${process.pid}.mjs`)
    await build({
      entryPoints: [fileURLToPath(new URL('./distributed-child.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
      packages: 'external'
    })
    // Started through a launcher: with the bundle itself as argv[1], server.ts would take
    // itself for the entry point and run its own main() (a second gateway on the default port).
    const launcher = join(dir, `launch-${process.pid}.mjs`)
    writeFileSync(launcher, `await import(${JSON.stringify(pathToFileURL(outfile).href)})\n`)
    return launcher
  })()
  return await bundled
}

/** A replica (ReplicaSpec) or the origin (`{ origin: true }`). */
export async function spawnReplica (spec: DistributedChildSpec, startTimeoutMs = 20_000): Promise<RunningReplica> {
  const file = await entry()
  const child = spawn(process.execPath, ['--max-old-space-size=512', file, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' }
  })
  const info = await whenReady<{ url: string, adminUrl: string, stateMode: string }>(child, 'replica', startTimeoutMs)
  return { ...info, stop: () => stopChild(child) }
}
