#!/usr/bin/env node
// gatewayctl launcher (package.json `bin`): compiles the project when sources changed since the
// last build (quietly: the build's output is shown only when it fails), then runs the compiled
// CLI with this process's argv and passes its exit code on.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const main = `${root}dist/gateway/src/cli/main.js`
const builder = `${root}scripts/build-if-needed.mjs`

if (existsSync(builder)) {
  const build = spawnSync(process.execPath, [builder], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (build.status !== 0) {
    if (!existsSync(main)) {
      process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}gatewayctl: the build failed (run "npm run build" to see why)\n`)
      process.exit(1)
    }
    process.stderr.write('gatewayctl: warning: the rebuild reported errors; running the compiled files as they are ("npm run build" shows why)\n')
  }
}

const { run } = await import(pathToFileURL(main).href)
process.exitCode = await run(process.argv.slice(2))
