#!/usr/bin/env node
// `npm start` and `npm run bench` run compiled JavaScript: compile when any TypeScript source
// (or the lambda bundles' inputs) is newer than its output, so a fresh clone just works.
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const SOURCES = ['gateway/src', 'legacy-stub/src', 'lambdas', 'scripts', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json']
const SKIP = new Set(['node_modules', 'dist', 'results'])

function newest (path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let max = 0
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry)) continue
    max = Math.max(max, newest(join(path, entry)))
  }
  return max
}

const marker = join(root, 'dist', '.build-stamp')
const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0
const sourcesAt = Math.max(...SOURCES.map(s => newest(join(root, s))))
if (sourcesAt > builtAt) {
  console.log('building (sources changed since the last build)…')
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
  execFileSync('touch', [marker])
}
