#!/usr/bin/env node
// Writes config/gateway.schema.json (the base file) and config/gateway.overlay.schema.json (the
// stage overlays: null removes a key) from the TypeBox schema (gateway/src/config/schema.ts), for
// editors (yaml-language-server). The files are GENERATED: edit the schema, then run
//   node scripts/export-config-schema.mjs          (write)
//   node scripts/export-config-schema.mjs --check  (exit 1 if a committed file is stale)
// test/unit/config-json-schema.test.ts fails when a committed file drifts.
// Plain .mjs so it runs without a build: esbuild (a dev dependency) compiles the TypeScript.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = new URL('..', import.meta.url).pathname
// Inside the repository so the bundle's bare imports (@sinclair/typebox) resolve from node_modules.
const outDir = join(root, 'node_modules', '.cache', 'export-config-schema')
const outFile = join(outDir, `json-schema-${process.pid}.mjs`)

mkdirSync(outDir, { recursive: true })
try {
  await build({
    entryPoints: [join(root, 'gateway', 'src', 'config', 'json-schema.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outfile: outFile,
    logLevel: 'warning'
  })
  const { renderJsonSchema, JSON_SCHEMA_FILES } = await import(pathToFileURL(outFile).href)
  for (const [kind, file] of Object.entries(JSON_SCHEMA_FILES)) {
    const target = join(root, file)
    const text = renderJsonSchema(kind)
    if (process.argv.includes('--check')) {
      let current = ''
      try { current = readFileSync(target, 'utf8') } catch {}
      if (current !== text) {
        console.error(`${file} is stale: run node scripts/export-config-schema.mjs`)
        process.exitCode = 1
      }
    } else {
      writeFileSync(target, text)
      console.log(`wrote ${target}`)
    }
  }
} finally {
  rmSync(outFile, { force: true })
}
