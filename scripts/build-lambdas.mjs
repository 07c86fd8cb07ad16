#!/usr/bin/env node
// Bundles every function of lambdas/template.yaml on its own (shared-nothing): CodeUri
// `dist/<folder>/` + Handler `index.handler` → lambdas/<folder>/handler.ts bundled with esbuild
// into lambdas/dist/<folder>/index.mjs (ESM, node24, seed JSON inlined). Runs in `pretest`, so
// it is quiet: one line per bundle with its size, errors only when something breaks.
import { build } from 'esbuild'
import { readFileSync, statSync, existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const lambdasDir = join(root, 'lambdas')

// CloudFormation short-form tags, kept as their long form so nothing is lost in parsing.
const cfnTags = ['Sub', 'Ref', 'GetAtt'].flatMap(name => {
  const key = name === 'Ref' ? 'Ref' : `Fn::${name}`
  const wrap = value => ({ [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value })
  return [
    { tag: `!${name}`, resolve: wrap },
    { tag: `!${name}`, collection: 'seq', resolve: seq => wrap(seq.toJSON()) }
  ]
})

/** The functions of the template: logical id, folder and exported handler name. */
export function functionsOf (templateText) {
  const template = parse(templateText, { customTags: cfnTags })
  const out = []
  for (const [id, res] of Object.entries(template?.Resources ?? {})) {
    if (res?.Type !== 'AWS::Serverless::Function') continue
    const { CodeUri, Handler } = res.Properties ?? {}
    const match = typeof CodeUri === 'string' ? /^dist\/([a-z0-9-]+)\/?$/.exec(CodeUri) : null
    if (match === null) throw new Error(`${id}: CodeUri must be dist/<folder>/, got ${JSON.stringify(CodeUri)}`)
    if (Handler !== 'index.handler') throw new Error(`${id}: Handler must be index.handler, got ${JSON.stringify(Handler)}`)
    out.push({ id, folder: match[1] })
  }
  return out
}

const kib = bytes => `${(bytes / 1024).toFixed(1)} KiB`

/** `--outdir <dir>` builds elsewhere (tests), leaving lambdas/dist alone for running functions. */
function outDirFromArgs (argv) {
  const i = argv.indexOf('--outdir')
  return i === -1 ? join(lambdasDir, 'dist') : resolve(argv[i + 1] ?? '')
}

async function main () {
  const outDir = outDirFromArgs(process.argv.slice(2))
  const functions = functionsOf(readFileSync(join(lambdasDir, 'template.yaml'), 'utf8'))
  const results = await Promise.all(functions.map(async ({ id, folder }) => {
    const entry = join(lambdasDir, folder, 'handler.ts')
    if (!existsSync(entry)) throw new Error(`${id}: no entry point at lambdas/${folder}/handler.ts`)
    const outfile = join(outDir, folder, 'index.mjs')
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      minify: false,
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'error'
    })
    return { id, folder, outfile, size: statSync(outfile).size }
  }))
  for (const r of results) {
    console.log(`lambda ${r.folder.padEnd(16)} ${kib(r.size).padStart(10)}  ${relative(root, r.outfile)}`)
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(err => {
    console.error(`build-lambdas: ${err.message}`)
    process.exit(1)
  })
}
