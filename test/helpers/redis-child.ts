// Bundles test/fixtures/distributed/hold-permits.ts (esbuild, no TS loader in the child) and
// runs it as a real process that a test can SIGKILL while it holds semaphore permits.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import type { Test } from 'tap'

const ROOT = new URL('../..', import.meta.url).pathname

export interface PermitHolder { pid: number, kill: () => Promise<void> }

export async function spawnPermitHolder (t: Test, env: Record<string, string>): Promise<PermitHolder> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-redis-child-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const outfile = join(dir, 'hold-permits.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/fixtures/distributed/hold-permits.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'warning',
    // ioredis is CommonJS and requires node built-ins: give the ESM bundle a require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" }
  })
  const child = spawn(process.execPath, [outfile], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  t.teardown(kill)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('permit holder did not report in 10 s')) }, 10_000)
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) { clearTimeout(timer); resolve() }
    })
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`permit holder exited with ${String(code)}`)) })
  })
  return { pid: child.pid ?? -1, kill }
}
