// The compiled route table: a segment trie, so matching costs O(segments) map lookups and no
// regex or closure is built per request. Precedence at every segment: static beats :param beats
// trailing *, and the first difference decides (so `/api/users/list` beats `/api/:kind/list`,
// and a longer static prefix beats a shorter one). The method is part of the match: the most
// specific route that accepts the method wins; HEAD is served by a GET route unless a HEAD route
// exists at the same place. No match → undefined (the caller sends the request to legacy).
import type { RouteConfig } from '../config/schema.js'
import { configInvalid } from '../config/config-problem.js'
import type { ConfigProblem } from '../config/config-problem.js'
import { parsePathPattern } from './path-pattern.js'

export interface RouteMatch {
  readonly route: RouteConfig
  /** Param values, percent-decoded, by name; a trailing `*` is captured as `'*'` (segments joined by `/`). */
  readonly params: Record<string, string>
}

interface Entry { readonly route: RouteConfig, readonly index: number, readonly paramNames: readonly string[] }
type MethodMap = Map<string, Entry>

interface Node {
  readonly statics: Map<string, Node>
  param: Node | undefined
  /** Routes that end here. */
  readonly exact: MethodMap
  /** Routes whose pattern ends with `*` right after this node. */
  readonly rest: MethodMap
}

export interface RouteTable {
  readonly caseSensitive: boolean
  readonly routes: readonly RouteConfig[]
  /** @internal the trie */
  readonly root: Node
}

function newNode (): Node {
  return { statics: new Map(), param: undefined, exact: new Map(), rest: new Map() }
}

/** Build the trie, collecting every invalid pattern and every ambiguous pair as a problem. */
function build (routes: ReadonlyArray<RouteConfig | undefined>, caseSensitive: boolean): { root: Node, problems: ConfigProblem[] } {
  const root = newNode()
  const problems: ConfigProblem[] = []
  routes.forEach((route, index) => {
    if (route === undefined) return
    const parsed = parsePathPattern(route.path)
    if (!parsed.ok) {
      problems.push({ path: `routes[${index}].path`, message: `expected a path pattern with ${parsed.reason}, found ${JSON.stringify(route.path)}` })
      return
    }
    let node = root
    let leaf: MethodMap = root.exact
    const paramNames: string[] = []
    for (const seg of parsed.segments) {
      if (seg.kind === 'static') {
        const key = caseSensitive ? seg.value : seg.value.toLowerCase()
        let child = node.statics.get(key)
        if (child === undefined) node.statics.set(key, child = newNode())
        node = child
        leaf = node.exact
      } else if (seg.kind === 'param') {
        node = node.param ??= newNode()
        leaf = node.exact
        paramNames.push(seg.name)
      } else {
        leaf = node.rest
        paramNames.push('*')
      }
    }
    for (const method of route.methods) {
      const other = leaf.get(method)
      if (other !== undefined) {
        problems.push({
          path: `routes[${index}].path`,
          message: `expected a path no earlier ${method} route matches with the same specificity, found ${JSON.stringify(route.path)} ` +
            `(ambiguous with routes[${other.index}] ${other.route.id} ${JSON.stringify(other.route.path)})`
        })
        continue
      }
      leaf.set(method, { route, index, paramNames })
    }
  })
  return { root, problems }
}

/**
 * Invalid patterns and ambiguous overlaps of `routes`, as config problems (empty when fine).
 * `undefined` entries (routes that failed schema validation) are skipped but keep their index.
 */
export function routeTableProblems (routes: ReadonlyArray<RouteConfig | undefined>, opts: { caseSensitive: boolean }): ConfigProblem[] {
  return build(routes, opts.caseSensitive).problems
}

/**
 * Compile routes into a table for matchRoute. Throws ConfigInvalidError (with `errors`) naming the
 * route index and id for an invalid pattern or two routes that match the same requests equally.
 */
export function compileRouteTable (routes: readonly RouteConfig[], opts: { caseSensitive: boolean }): RouteTable {
  const { root, problems } = build(routes, opts.caseSensitive)
  if (problems.length > 0) throw configInvalid(problems, ['routes'])
  return Object.freeze({ caseSensitive: opts.caseSensitive, routes: Object.freeze([...routes]), root })
}

function pick (map: MethodMap, method: string): Entry | undefined {
  if (map.size === 0) return undefined
  return map.get(method) ?? (method === 'HEAD' ? map.get('GET') : undefined)
}

function decode (segment: string): string {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment // not normalised input; normalised paths always decode
  }
}

function lowerCased (segs: readonly string[], end: number): string[] {
  const keys = new Array<string>(end)
  keys[0] = ''
  for (let i = 1; i < end; i++) keys[i] = segs[i]!.toLowerCase()
  return keys
}

interface Found { entry: Entry, captured: string[], rest: string | undefined }

function walk (node: Node, segs: readonly string[], keys: readonly string[], i: number, end: number, method: string, captured: string[]): Found | undefined {
  if (i === end) {
    const exact = pick(node.exact, method)
    if (exact !== undefined) return { entry: exact, captured, rest: undefined }
    const rest = pick(node.rest, method)
    return rest === undefined ? undefined : { entry: rest, captured, rest: '' }
  }
  const child = node.statics.get(keys[i]!)
  if (child !== undefined) {
    const found = walk(child, segs, keys, i + 1, end, method, captured)
    if (found !== undefined) return found
  }
  if (node.param !== undefined && segs[i] !== '') { // a param never matches an empty segment
    captured.push(segs[i]!)
    const found = walk(node.param, segs, keys, i + 1, end, method, captured)
    if (found !== undefined) return found
    captured.pop()
  }
  const rest = pick(node.rest, method)
  return rest === undefined ? undefined : { entry: rest, captured, rest: segs.slice(i, end).join('/') }
}

/**
 * The most specific route for `method` and a path from normalizePath (no query string), or
 * undefined. A trailing slash is ignored: `/api/users/` matches `/api/users`.
 */
export function matchRoute (table: RouteTable, method: string, normalizedPath: string): RouteMatch | undefined {
  // segs[0] is the empty string before the leading '/': the walk starts at 1 and stops before a
  // trailing '' (no shift or pop of the array per request).
  const segs = normalizedPath.split('/')
  let end = segs.length
  if (end > 1 && segs[end - 1] === '') end--
  const keys = table.caseSensitive ? segs : lowerCased(segs, end)
  const found = walk(table.root, segs, keys, 1, end, method, [])
  if (found === undefined) return undefined
  const params: Record<string, string> = {}
  const names = found.entry.paramNames
  for (let k = 0; k < found.captured.length; k++) params[names[k]!] = decode(found.captured[k]!)
  if (found.rest !== undefined) params['*'] = decode(found.rest)
  return { route: found.entry.route, params }
}
