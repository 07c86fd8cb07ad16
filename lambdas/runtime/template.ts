// Reads the functions of an AWS SAM template: the one source of truth for the local runtime and
// for AWS. Only what the runtime needs is resolved: !Sub/!Ref against parameters and pseudo
// parameters, per-function properties (no Globals), CodeUri relative to the template.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse, type Tags } from 'yaml'
import { checkNodeRuntime, type NodeRuntimeStatus } from './node-runtimes.js'
import type { TracingMode } from './trace-header.js'

export interface FunctionSpec {
  /** Resolved FunctionName, e.g. Users-DEV. */
  name: string
  logicalId: string
  /** Absolute directory of the function's code. */
  codeDir: string
  /** Module file name without extension, e.g. index. */
  handlerFile: string
  /** Exported function name, e.g. handler. */
  handlerExport: string
  /** Lambda runtime identifier, e.g. nodejs24.x (one Lambda still accepts; see node-runtimes.ts). */
  runtime: string
  /** 'deprecated': accepted, but Lambda no longer patches it. */
  runtimeStatus: NodeRuntimeStatus
  timeoutSeconds: number
  memorySizeMb: number
  /** Undefined: unreserved (the runtime's local cap applies). */
  reservedConcurrency: number | undefined
  environment: Record<string, string>
  /** `Tracing` (Active | PassThrough, default PassThrough): whether a trace the function starts is sampled (trace-header.ts). */
  tracing: TracingMode
}

export interface TemplateOptions {
  parameterOverrides?: Record<string, string>
  region: string
  accountId: string
  /** The clock the runtime's deprecation dates are compared with (tests pin it). Default: now. */
  now?: () => Date
}

type Intrinsic = { 'Fn::Sub': string | [string, Record<string, unknown>] } | { Ref: string } | { 'Fn::GetAtt': string[] }

const cfnTags: Tags = [
  { tag: '!Sub', resolve: (v: unknown) => ({ 'Fn::Sub': v }) },
  { tag: '!Sub', collection: 'seq', resolve: (v: unknown) => ({ 'Fn::Sub': (v as { toJSON(): unknown }).toJSON() }) },
  { tag: '!Ref', resolve: (v: unknown) => ({ Ref: v }) },
  { tag: '!GetAtt', resolve: (v: unknown) => ({ 'Fn::GetAtt': String(v).split('.') }) }
] as unknown as Tags

export class TemplateError extends Error {
  readonly code = 'LAMBDA_RUNTIME_ERR_TEMPLATE'
}

export function loadTemplate (templatePath: string, opts: TemplateOptions): FunctionSpec[] {
  const text = readFileSync(templatePath, 'utf8')
  return parseTemplate(text, dirname(resolve(templatePath)), opts)
}

export function parseTemplate (text: string, baseDir: string, opts: TemplateOptions): FunctionSpec[] {
  const doc = parse(text, { customTags: cfnTags }) as { Parameters?: Record<string, { Default?: unknown }>, Resources?: Record<string, { Type?: string, Properties?: Record<string, unknown> }> }
  const params: Record<string, string> = {
    'AWS::Region': opts.region,
    'AWS::AccountId': opts.accountId,
    'AWS::Partition': 'aws',
    'AWS::StackName': 'local',
    'AWS::URLSuffix': 'amazonaws.com'
  }
  for (const [key, p] of Object.entries(doc.Parameters ?? {})) {
    if (p?.Default !== undefined) params[key] = String(p.Default)
  }
  Object.assign(params, opts.parameterOverrides ?? {})

  const out: FunctionSpec[] = []
  for (const [logicalId, res] of Object.entries(doc.Resources ?? {})) {
    if (res?.Type !== 'AWS::Serverless::Function') continue
    const p = res.Properties ?? {}
    const value = (v: unknown, what: string): string => resolveValue(v, params, `${logicalId}.${what}`)
    const handler = value(p.Handler, 'Handler')
    const dot = handler.lastIndexOf('.')
    if (dot <= 0) throw new TemplateError(`${logicalId}.Handler must be <file>.<export>, found "${handler}"`)
    if (p.Runtime === undefined) throw new TemplateError(`${logicalId}.Runtime is missing (a Lambda Node.js runtime, e.g. nodejs24.x)`)
    const runtime = value(p.Runtime, 'Runtime')
    const runtimeStatus = checkNodeRuntime(runtime, opts.now?.() ?? new Date(), `${logicalId}.Runtime`)
    const env: Record<string, string> = {}
    const vars = ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {}
    for (const [k, v] of Object.entries(vars)) env[k] = value(v, `Environment.Variables.${k}`)
    out.push({
      name: p.FunctionName === undefined ? logicalId : value(p.FunctionName, 'FunctionName'),
      logicalId,
      codeDir: resolve(baseDir, value(p.CodeUri ?? '.', 'CodeUri')),
      handlerFile: handler.slice(0, dot),
      handlerExport: handler.slice(dot + 1),
      runtime,
      runtimeStatus,
      timeoutSeconds: positive(p.Timeout ?? 3, `${logicalId}.Timeout`),
      memorySizeMb: positive(p.MemorySize ?? 128, `${logicalId}.MemorySize`),
      reservedConcurrency: p.ReservedConcurrentExecutions === undefined ? undefined : nonNegative(p.ReservedConcurrentExecutions, `${logicalId}.ReservedConcurrentExecutions`),
      environment: env,
      tracing: tracingMode(p.Tracing === undefined ? undefined : value(p.Tracing, 'Tracing'), `${logicalId}.Tracing`)
    })
  }
  return out
}

function positive (v: unknown, what: string): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new TemplateError(`${what} must be a positive number, found ${JSON.stringify(v)}`)
  return n
}

function nonNegative (v: unknown, what: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new TemplateError(`${what} must be a whole number >= 0, found ${JSON.stringify(v)}`)
  return n
}

function resolveValue (v: unknown, params: Record<string, string>, where: string): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v !== null && typeof v === 'object') {
    const i = v as Intrinsic
    if ('Ref' in i) {
      const got = params[i.Ref]
      if (got === undefined) throw new TemplateError(`${where}: !Ref ${i.Ref} names no parameter`)
      return got
    }
    if ('Fn::Sub' in i) {
      const [fmt, vars] = Array.isArray(i['Fn::Sub']) ? i['Fn::Sub'] : [i['Fn::Sub'], {}]
      const local: Record<string, string> = { ...params }
      for (const [k, val] of Object.entries(vars)) local[k] = resolveValue(val, params, where)
      return fmt.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const got = local[name]
        if (got === undefined) throw new TemplateError(`${where}: !Sub \${${name}} names no parameter`)
        return got
      })
    }
  }
  throw new TemplateError(`${where}: unsupported value ${JSON.stringify(v)}`)
}

function tracingMode (v: string | undefined, where: string): TracingMode {
  if (v === undefined) return 'PassThrough'
  if (v === 'Active' || v === 'PassThrough') return v
  throw new TemplateError(`${where} must be Active or PassThrough, found "${v}"`)
}
