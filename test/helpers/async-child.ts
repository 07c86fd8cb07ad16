// Bundles test/fixtures/async/async-gateway-child.ts with esbuild (no TS loader in a child;
// packages stay external and the bundle lives in a tap test dir inside the project, so
// better-sqlite3's native binding resolves from node_modules) and runs it as a real process.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Test } from 'tap'

const ROOT = new URL('../..', import.meta.url).pathname

export interface AsyncChild { url: string, kill: () => Promise<void> }

export async function bundleAsyncChild (outDir: string): Promise<string> {
  const outfile = join(outDir, 'async-gateway-child.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/fixtures/async/async-gateway-child.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'warning'
  })
  return outfile
}

export async function spawnAsyncChild (t: Test, bundle: string, env: Record<string, string>): Promise<AsyncChild> {
  const child = spawn(process.execPath, [bundle], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  t.teardown(kill)
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('async child did not report in 15 s')) }, 15_000)
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find(l => l.startsWith('{'))
      if (line !== undefined) { clearTimeout(timer); resolve((JSON.parse(line) as { url: string }).url) }
    })
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`async child exited with ${String(code)}`)) })
  })
  return { url, kill }
}
