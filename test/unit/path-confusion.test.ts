// Path confusion: every case the gateway's path normalisation was tested with. The gateway
// matches and forwards ONE canonical path; what the gateway and a backend (IIS/ASP.NET, Tomcat,
// Lambda) could read differently is refused with 400 and never forwarded.
// Decisions: `..` above the root is rejected (not clamped); `;` anywhere in the path is rejected
// (Tomcat strips `;params` before routing, ASP.NET does not); raw non-ASCII is encoded as UTF-8;
// a trailing slash is kept (routes match with or without it); the query string is untouched.
// `route` is the shipped route the normalised path matches (GET, config/gateway.yaml), `-` none.
//
// TABLE (generated from CASES below; a test keeps the two identical)
// TABLE-START
// input                             | normalised path / rejection                      | route        | probes
// ----------------------------------|--------------------------------------------------|--------------|--------------------------------------
// /api/users/1                      | /api/users/1                                     | users.get    | plain
// /api/users/..%2f..%2fadmin        | 400: encoded slash (%2F)                         |              | encoded-slash traversal
// /api/users/%2e%2e/                | 400: encoded dot-segment                         |              | encoded ..
// /api/users/%2E%2E/admin           | 400: encoded dot-segment                         |              | encoded .. upper-case
// /api/users/.%2e/admin             | 400: encoded dot-segment                         |              | half-encoded ..
// /api/users/%2e/1                  | 400: encoded dot-segment                         |              | encoded .
// /api/users/..;/admin              | 400: path parameter (;) in path                  |              | Tomcat ..; trick
// //api//users/1                    | /api/users/1                                     | users.get    | duplicate slashes folded
// /api/./users/1                    | /api/users/1                                     | users.get    | . resolved
// /api/users/../projects/1          | /api/projects/1                                  | projects.get | .. resolved
// /a/b/../..                        | /                                                | -            | .. back to the root
// /api/users/1/.                    | /api/users/1/                                    | users.get    | final . keeps a trailing slash
// /api/users/                       | /api/users/                                      | users.list   | trailing slash kept, still matches
// /api/users/.../x                  | /api/users/.../x                                 | -            | ... is not a dot-segment
// /API/Users/1                      | /API/Users/1                                     | users.get    | case kept, matched case-insensitively
// /api/users/%31                    | /api/users/1                                     | users.get    | unreserved digit decoded
// /api/users/%7e                    | /api/users/~                                     | users.get    | unreserved ~ decoded
// /%61pi/%55sers/%41%42             | /api/Users/AB                                    | users.get    | unreserved letters decoded
// /api/users/1%00                   | 400: encoded control character                   |              | encoded NUL
// /api/users/1%0d%0aX-Injected:%201 | 400: encoded control character                   |              | encoded CRLF
// /api/users/1\u0000                | 400: control character in path                   |              | raw NUL
// /api/users/1\t                    | 400: control character in path                   |              | raw tab
// /api%2fusers/1                    | 400: encoded slash (%2F)                         |              | encoded slash joins segments
// /api%2Fusers/1                    | 400: encoded slash (%2F)                         |              | upper-case %2F
// /api/users%5c1                    | 400: encoded backslash (%5C)                     |              | encoded backslash
// \\api\\users                      | 400: not an origin-form path (must start with /) |              | backslashes only
// /api\\users\\1                    | 400: backslash in path                           |              | IIS reads a backslash as /
// /api/users/1;jsessionid=x         | 400: path parameter (;) in path                  |              | matrix parameter
// /api/users/%3b                    | /api/users/%3B                                   | users.get    | encoded ; is data
// /..                               | 400: dot-segment above the root                  |              | above root
// /a/b/../../..                     | 400: dot-segment above the root                  |              | above root after climbing
// /../api/users/1                   | 400: dot-segment above the root                  |              | leading ..
// /api/users/%zz                    | 400: invalid percent-encoding                    |              | not hex
// /api/users/%2                     | 400: invalid percent-encoding                    |              | truncated escape
// /api/users/%                      | 400: invalid percent-encoding                    |              | lone %
// /api/users/%u002e%u002e           | 400: invalid percent-encoding                    |              | IIS %u encoding
// /api/users/%252e%252e/            | 400: double percent-encoding (%25XX)             |              | double-encoded ..
// /api/users/%252f                  | 400: double percent-encoding (%25XX)             |              | double-encoded /
// /api/users/100%25                 | /api/users/100%25                                | users.get    | a literal %
// /caf\u00e9/1                      | /caf%C3%A9/1                                     | -            | raw non-ASCII encoded as UTF-8
// /api/users/caf%c3%a9              | /api/users/caf%C3%A9                             | users.get    | valid UTF-8 kept, hex upper-cased
// /api/users/%f0%9f%98%80           | /api/users/%F0%9F%98%80                          | users.get    | 4-byte UTF-8 (emoji)
// /%c0%ae%c0%ae/admin               | 400: invalid UTF-8 in percent-encoding           |              | overlong . (2 bytes)
// /api/users/%c0%af                 | 400: invalid UTF-8 in percent-encoding           |              | overlong / (IIS Unicode bug)
// /api/users/%e0%80%ae              | 400: invalid UTF-8 in percent-encoding           |              | overlong . (3 bytes)
// /api/users/%ed%a0%80              | 400: invalid UTF-8 in percent-encoding           |              | UTF-16 surrogate
// /api/users/%f4%90%80%80           | 400: invalid UTF-8 in percent-encoding           |              | beyond U+10FFFF
// /api/users/%c3                    | 400: invalid UTF-8 in percent-encoding           |              | truncated sequence
// /api/users/%80                    | 400: invalid UTF-8 in percent-encoding           |              | stray continuation byte
// /api/users/\ud800                 | 400: invalid UTF-16 (lone surrogate) in path     |              | lone surrogate
// /api/users/a b                    | /api/users/a%20b                                 | users.get    | raw space encoded
// /api/users/a|b                    | /api/users/a%7Cb                                 | users.get    | raw | encoded
// /api/users/1#frag                 | 400: fragment (#) in request target              |              | fragment
// /api/users?id=../..%2f            | /api/users ?id=../..%2f                          | users.list   | query untouched
// *                                 | 400: not an origin-form path (must start with /) |              | asterisk-form
// http://evil.example/api/users     | 400: not an origin-form path (must start with /) |              | absolute-form
// (empty)                           | 400: not an origin-form path (must start with /) |              | empty
// /aaaaaaaaaaa… (8192 chars)        | /aaaaaaaaaaa… (8192 chars)                       | -            | 8192 characters: the limit
// /aaaaaaaaaaa… (8193 chars)        | 400: path longer than 8192 characters            |              | 8193 characters
// TABLE-END

import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { normalizePath } from '../../gateway/src/routing/normalize-path.js'
import type { NormalizedPath } from '../../gateway/src/routing/normalize-path.js'
import { compileRouteTable, matchRoute } from '../../gateway/src/routing/route-table.js'
import { loadConfig } from '../../gateway/src/config/load-config.js'

interface Expect { result: NormalizedPath, route: string | undefined }
const ok = (path: string, route: string | undefined, query = ''): Expect => ({ result: { ok: true, path, query }, route })
const no = (reason: string): Expect => ({ result: { ok: false, reason }, route: undefined })

// [raw request path, expected, what it probes]
export const CASES: Array<[string, Expect, string]> = [
  ['/api/users/1', ok('/api/users/1', 'users.get'), 'plain'],
  ['/api/users/..%2f..%2fadmin', no('encoded slash (%2F)'), 'encoded-slash traversal'],
  ['/api/users/%2e%2e/', no('encoded dot-segment'), 'encoded ..'],
  ['/api/users/%2E%2E/admin', no('encoded dot-segment'), 'encoded .. upper-case'],
  ['/api/users/.%2e/admin', no('encoded dot-segment'), 'half-encoded ..'],
  ['/api/users/%2e/1', no('encoded dot-segment'), 'encoded .'],
  ['/api/users/..;/admin', no('path parameter (;) in path'), 'Tomcat ..; trick'],
  ['//api//users/1', ok('/api/users/1', 'users.get'), 'duplicate slashes folded'],
  ['/api/./users/1', ok('/api/users/1', 'users.get'), '. resolved'],
  ['/api/users/../projects/1', ok('/api/projects/1', 'projects.get'), '.. resolved'],
  ['/a/b/../..', ok('/', undefined), '.. back to the root'],
  ['/api/users/1/.', ok('/api/users/1/', 'users.get'), 'final . keeps a trailing slash'],
  ['/api/users/', ok('/api/users/', 'users.list'), 'trailing slash kept, still matches'],
  ['/api/users/.../x', ok('/api/users/.../x', undefined), '... is not a dot-segment'],
  ['/API/Users/1', ok('/API/Users/1', 'users.get'), 'case kept, matched case-insensitively'],
  ['/api/users/%31', ok('/api/users/1', 'users.get'), 'unreserved digit decoded'],
  ['/api/users/%7e', ok('/api/users/~', 'users.get'), 'unreserved ~ decoded'],
  ['/%61pi/%55sers/%41%42', ok('/api/Users/AB', 'users.get'), 'unreserved letters decoded'],
  ['/api/users/1%00', no('encoded control character'), 'encoded NUL'],
  ['/api/users/1%0d%0aX-Injected:%201', no('encoded control character'), 'encoded CRLF'],
  ['/api/users/1\u0000', no('control character in path'), 'raw NUL'],
  ['/api/users/1\t', no('control character in path'), 'raw tab'],
  ['/api%2fusers/1', no('encoded slash (%2F)'), 'encoded slash joins segments'],
  ['/api%2Fusers/1', no('encoded slash (%2F)'), 'upper-case %2F'],
  ['/api/users%5c1', no('encoded backslash (%5C)'), 'encoded backslash'],
  ['\\api\\users', no('not an origin-form path (must start with /)'), 'backslashes only'],
  ['/api\\users\\1', no('backslash in path'), 'IIS reads a backslash as /'],
  ['/api/users/1;jsessionid=x', no('path parameter (;) in path'), 'matrix parameter'],
  ['/api/users/%3b', ok('/api/users/%3B', 'users.get'), 'encoded ; is data'],
  ['/..', no('dot-segment above the root'), 'above root'],
  ['/a/b/../../..', no('dot-segment above the root'), 'above root after climbing'],
  ['/../api/users/1', no('dot-segment above the root'), 'leading ..'],
  ['/api/users/%zz', no('invalid percent-encoding'), 'not hex'],
  ['/api/users/%2', no('invalid percent-encoding'), 'truncated escape'],
  ['/api/users/%', no('invalid percent-encoding'), 'lone %'],
  ['/api/users/%u002e%u002e', no('invalid percent-encoding'), 'IIS %u encoding'],
  ['/api/users/%252e%252e/', no('double percent-encoding (%25XX)'), 'double-encoded ..'],
  ['/api/users/%252f', no('double percent-encoding (%25XX)'), 'double-encoded /'],
  ['/api/users/100%25', ok('/api/users/100%25', 'users.get'), 'a literal %'],
  ['/caf\u00e9/1', ok('/caf%C3%A9/1', undefined), 'raw non-ASCII encoded as UTF-8'],
  ['/api/users/caf%c3%a9', ok('/api/users/caf%C3%A9', 'users.get'), 'valid UTF-8 kept, hex upper-cased'],
  ['/api/users/%f0%9f%98%80', ok('/api/users/%F0%9F%98%80', 'users.get'), '4-byte UTF-8 (emoji)'],
  ['/%c0%ae%c0%ae/admin', no('invalid UTF-8 in percent-encoding'), 'overlong . (2 bytes)'],
  ['/api/users/%c0%af', no('invalid UTF-8 in percent-encoding'), 'overlong / (IIS Unicode bug)'],
  ['/api/users/%e0%80%ae', no('invalid UTF-8 in percent-encoding'), 'overlong . (3 bytes)'],
  ['/api/users/%ed%a0%80', no('invalid UTF-8 in percent-encoding'), 'UTF-16 surrogate'],
  ['/api/users/%f4%90%80%80', no('invalid UTF-8 in percent-encoding'), 'beyond U+10FFFF'],
  ['/api/users/%c3', no('invalid UTF-8 in percent-encoding'), 'truncated sequence'],
  ['/api/users/%80', no('invalid UTF-8 in percent-encoding'), 'stray continuation byte'],
  ['/api/users/\ud800', no('invalid UTF-16 (lone surrogate) in path'), 'lone surrogate'],
  ['/api/users/a b', ok('/api/users/a%20b', 'users.get'), 'raw space encoded'],
  ['/api/users/a|b', ok('/api/users/a%7Cb', 'users.get'), 'raw | encoded'],
  ['/api/users/1#frag', no('fragment (#) in request target'), 'fragment'],
  ['/api/users?id=../..%2f', ok('/api/users', 'users.list', 'id=../..%2f'), 'query untouched'],
  ['*', no('not an origin-form path (must start with /)'), 'asterisk-form'],
  ['http://evil.example/api/users', no('not an origin-form path (must start with /)'), 'absolute-form'],
  ['', no('not an origin-form path (must start with /)'), 'empty'],
  ['/' + 'a'.repeat(8191), ok('/' + 'a'.repeat(8191), undefined), '8192 characters: the limit'],
  ['/' + 'a'.repeat(8192), no('path longer than 8192 characters'), '8193 characters']
]

const table = compileRouteTable(loadConfig({ env: {} }).routes, { caseSensitive: false })

function show (s: string): string {
  if (s === '') return '(empty)'
  const json = JSON.stringify(s).slice(1, -1)
  const escaped = json.replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return escaped.length > 40 ? `${escaped.slice(0, 12)}… (${s.length} chars)` : escaped
}

/** One table line per case: input | result | route | what it probes. */
export function tableLines (): string[] {
  const rows = CASES.map(([input, e, note]) => [
    show(input),
    e.result.ok ? show(e.result.path) + (e.result.query === '' ? '' : ` ?${e.result.query}`) : `400: ${e.result.reason}`,
    e.result.ok ? (e.route ?? '-') : '',
    note
  ])
  const header = ['input', 'normalised path / rejection', 'route', 'probes']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd()
  return [line(header), widths.map(w => '-'.repeat(w)).join('-|-'), ...rows.map(line)]
}

t.test('every path-confusion case', async t => {
  t.ok(CASES.length >= 30, `${CASES.length} cases`)
  for (const [input, expected, note] of CASES) {
    const result = normalizePath(input)
    t.same(result, expected.result, `${show(input)} (${note})`)
    if (result.ok) t.equal(matchRoute(table, 'GET', result.path)?.route.id, expected.route, `${show(input)} → route`)
  }
})

t.test('the table in the header comment is the data', async t => {
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8')
  const block = source.slice(source.indexOf('// TABLE-START\n') + 15, source.indexOf('// TABLE-END'))
  t.same(block.split('\n').filter(Boolean).map(l => l.replace(/^\/\/ ?/, '')), tableLines())
})

t.test('normalising is idempotent: a normalised path normalises to itself', async t => {
  for (const [input] of CASES) {
    const once = normalizePath(input)
    if (once.ok) t.same(normalizePath(once.path), { ok: true, path: once.path, query: '' }, show(input))
  }
})
