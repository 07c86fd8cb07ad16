// gatewayctl test helpers: run the CLI in-process (captured output) or as a real child process.
// The child runs an esbuild bundle of gateway/src/cli/main.ts built once per test file into a
// temp dir: no dependence on `npm run build` or on a TypeScript loader in the child, and it
// starts in ~100 ms even on a loaded CI machine.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { run } from '../../gateway/src/cli/main.js'
import { tempDir } from './ops.js'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface CliResult { code: number, stdout: string, stderr: string }

const ROOT = new URL('../..', import.meta.url).pathname

/** Runs gatewayctl's `run()` in this process with the given env. */
export async function runCli (argv: string[], env: Record<string, string | undefined>, timeoutMs?: number): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io = { env, stdout: (s: string) => { stdout += s }, stderr: (s: string) => { stderr += s }, ...(timeoutMs === undefined ? {} : { timeoutMs }) }
  const code = await run(argv, io)
  return { code, stdout, stderr }
}

/** Bundles the CLI into a temp dir; returns the .mjs path to spawn with node. */
export async function bundleCli (t: Teardown): Promise<string> {
  const outfile = join(tempDir(t, 'gw-cli-'), 'gatewayctl.mjs')
  await build({
    stdin: {
      contents: "import { run } from './gateway/src/cli/main.ts'\nprocess.exitCode = await run(process.argv.slice(2))\n",
      resolveDir: ROOT,
      sourcefile: 'gatewayctl-entry.ts',
      loader: 'ts'
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'warning'
  })
  return outfile
}

/** Spawns the bundled CLI with only the env given (plus PATH); never rejects. */
export function spawnCli (bundle: string, argv: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise(resolve => {
    execFile(process.execPath, [bundle, ...argv], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

/** A port on 127.0.0.1 nobody listens on (bound, then released): connecting gets ECONNREFUSED. */
export async function closedPort (): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  await new Promise(resolve => server.close(resolve))
  return port
}
