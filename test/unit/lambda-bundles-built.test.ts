// `npm run build:lambdas` (pretest) leaves one self-contained ESM bundle per template function:
// it imports nothing but node builtins (shared-nothing, seed inlined) and answers an event.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'
import { loadEvent } from '../helpers/lambda-events.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const folders = ['users', 'projects', 'budget', 'forward-billing']
const bundle = (folder: string): string => `${root}lambdas/dist/${folder}/index.mjs`

// pretest builds in CI; a lone `npx tap` of this file builds when a bundle is missing
if (!folders.every(f => existsSync(bundle(f)))) execFileSync(process.execPath, ['scripts/build-lambdas.mjs'], { cwd: root, stdio: 'ignore' })

t.test('the bundler prints one line per template function with its size', async t => {
  // into a scratch dir: rewriting lambdas/dist could race other tests loading the bundles
  const outDir = t.testdir({})
  const out = execFileSync(process.execPath, ['scripts/build-lambdas.mjs', '--outdir', outDir], { cwd: root, encoding: 'utf8' })
  const lines = out.trim().split('\n')
  t.equal(lines.length, folders.length)
  for (const folder of folders) {
    t.ok(lines.some(l => new RegExp(`^lambda ${folder} +\\d+\\.\\d KiB +\\S+/${folder}/index\\.mjs$`).test(l)), folder)
    t.ok(existsSync(`${outDir}/${folder}/index.mjs`), `${folder} written to --outdir`)
  }
})

t.test('every bundle exists, imports only node builtins and carries its seed', async t => {
  for (const folder of folders) {
    const code = readFileSync(bundle(folder), 'utf8')
    const imports = [...code.matchAll(/^import .* from ["']([^"']+)["']/gm)].map(m => m[1])
    t.ok(imports.every(i => i?.startsWith('node:')), `${folder} imports ${imports.join(', ') || 'nothing'}`)
    if (folder !== 'forward-billing') t.match(code, /aschmidt/, `${folder} has the seed inlined`)
  }
})

t.test('the bundles answer payload 2.0 events on their own', async t => {
  const users = await import(pathToFileURL(bundle('users')).href) as { handler: (e: unknown) => Promise<{ statusCode: number, body: string }> }
  const res = await users.handler(loadEvent('users-get'))
  t.equal(res.statusCode, 200)
  t.match(JSON.parse(res.body), { id: 3, fullName: 'Clara Weber' })
  const budget = await import(pathToFileURL(bundle('budget')).href) as typeof users
  t.match(JSON.parse((await budget.handler(loadEvent('budget-get'))).body), { remaining: 176250 })
})
