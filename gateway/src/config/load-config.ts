// Loading config/gateway.yaml: read → YAML parse → interpolate ${VAR} (per file) → merge the
// stage overlay → coerce env strings → defaults → schema + semantic checks → renamed settings
// (config/renamed-settings.ts) → deep-freeze.
// Every problem is collected and thrown at once (ConfigInvalidError); an unreadable file or a YAML
// syntax error is a ConfigReadError. Synchronous: it runs once at start-up and on reload.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { parseDocument } from 'yaml'
import { ConfigReadError } from '../errors.js'
import { GatewayConfigSchema } from './schema.js'
import type { GatewayConfig } from './schema.js'
import { configInvalid, renderValue, sortProblems } from './config-problem.js'
import type { ConfigProblem } from './config-problem.js'
import { coerceToSchema } from './coerce.js'
import { deepFreeze } from './deep-freeze.js'
import { readGatewayEnv } from './env.js'
import { interpolateTree } from './interpolate.js'
import { mergeOverlay } from './merge.js'
import { applyRenames, rememberDeprecations, writtenNewNames } from './renamed-settings.js'
import { semanticProblems } from './semantic-checks.js'
import { schemaProblems } from './validate.js'

export interface LoadConfigOptions {
  /** Config file; default env GATEWAY_CONFIG, then config/gateway.yaml. */
  path?: string
  /** Stage; default env STAGE, then dev. Its overlay is <dir of path>/stages/<stage>.yaml, if present. */
  stage?: string
  /** Environment for ${VAR} and the settings read from env; default process.env. */
  env?: NodeJS.ProcessEnv
}

export interface ParseConfigOptions {
  /** Name of the file `text` came from, for messages; default `<inline>`. */
  file?: string
  /** A stage overlay to merge over `text`. */
  overlay?: { text: string, file: string }
  /** The stage being loaded: `stage` in the file must equal it. */
  stage?: string
  /** Environment for ${VAR}; default process.env. */
  env?: NodeJS.ProcessEnv
}

/** config/stages/<stage>.yaml next to the config file. */
export function stageOverlayPath (configPath: string, stage: string): string {
  return join(dirname(configPath), 'stages', `${stage}.yaml`)
}

function readText (file: string, optional: boolean): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    if (optional && code === 'ENOENT') return undefined
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (cause as Error).message
    const err = new ConfigReadError(file, reason)
    err.cause = cause
    throw err
  }
}

function parseYaml (text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const reasons = doc.errors.map(e => {
      const pos = e.linePos?.[0]
      const where = pos === undefined ? '' : `line ${pos.line}, column ${pos.col}: `
      const first = (e.message.split('\n')[0] ?? e.code).replace(/ at line \d+, column \d+:?$/, '')
      return where + first
    })
    // The first error is the cause; later ones are mostly its consequences.
    const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : ''
    throw new ConfigReadError(file, `YAML syntax error: ${reasons[0] ?? ''}${more}`)
  }
  const tree: unknown = doc.toJS({ maxAliasCount: 100 })
  return tree ?? {} // an empty file (or one with only comments) is an empty mapping
}

function firstPerPath (problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>()
  return problems.filter(p => {
    // A problem at a path also covers what is below it (an unset ${VAR} also fails its type check).
    const covered = [...seen].some(s => p.path === s || p.path.startsWith(s + '.') || p.path.startsWith(s + '['))
    if (covered) return false
    seen.add(p.path)
    return true
  })
}

/** Parse, validate and freeze config text (tests, reload). Throws ConfigInvalidError / ConfigReadError. */
export function parseConfig (text: string, opts: ParseConfigOptions = {}): GatewayConfig {
  const env = opts.env ?? process.env
  const file = opts.file ?? '<inline>'
  const files = opts.overlay === undefined ? [file] : [file, opts.overlay.file]
  const problems: ConfigProblem[] = []
  const trees: Array<{ tree: unknown, file: string }> = [{ tree: parseYaml(text, file), file }]
  if (opts.overlay !== undefined) trees.push({ tree: parseYaml(opts.overlay.text, opts.overlay.file), file: opts.overlay.file })

  let merged: unknown
  for (const { tree, file: f } of trees) {
    if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
      problems.push({ path: '', message: `expected a mapping of settings at the top of ${f}, found ${renderValue(tree)}` })
      continue
    }
    merged = mergeOverlay(merged ?? {}, interpolateTree(tree, env, f, problems))
  }
  if (problems.length > 0 && merged === undefined) throw configInvalid(problems, files)

  const tree = structuredClone(merged ?? {}) as Record<string, unknown>
  if (opts.stage !== undefined && !('stage' in tree)) tree.stage = opts.stage // a file without `stage:` takes the loaded one
  const written = writtenNewNames(tree)
  const value = Value.Default(GatewayConfigSchema, coerceToSchema(GatewayConfigSchema, tree))
  problems.push(...schemaProblems(GatewayConfigSchema, value))
  const deprecated = applyRenames(value as Record<string, unknown>, written, problems)
  const loose = value as Partial<Record<keyof GatewayConfig, unknown>>
  if (opts.stage !== undefined && typeof loose.stage === 'string' && loose.stage !== opts.stage) {
    problems.push({ path: 'stage', message: `expected ${JSON.stringify(opts.stage)} (the stage being loaded), found ${renderValue(loose.stage)}` })
  }
  problems.push(...semanticProblems(loose))
  if (problems.length > 0) throw configInvalid(sortProblems(firstPerPath(problems)), files)
  const config = deepFreeze(value as GatewayConfig)
  rememberDeprecations(config, deprecated)
  return config
}

/**
 * Load the gateway config: the file (opts.path, env GATEWAY_CONFIG, config/gateway.yaml) merged
 * with its stage overlay (opts.stage, env STAGE, dev) when that file exists. `${STAGE}` in the
 * files sees the stage being loaded.
 */
export function loadConfig (opts: LoadConfigOptions = {}): GatewayConfig {
  const baseEnv = opts.env ?? process.env
  const settings = readGatewayEnv({ ...baseEnv, ...(opts.stage === undefined ? {} : { STAGE: opts.stage }) })
  const path = opts.path ?? settings.configPath
  const stage = settings.stage
  const text = readText(path, false) as string
  const overlayFile = stageOverlayPath(path, stage)
  const overlayText = readText(overlayFile, true)
  return parseConfig(text, {
    file: path,
    stage,
    env: { ...baseEnv, STAGE: stage },
    ...(overlayText === undefined ? {} : { overlay: { text: overlayText, file: overlayFile } })
  })
}
