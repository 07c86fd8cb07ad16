// The raw-HTTP fuzzer's generators: a seeded PRNG, a valid base request for each shipped route,
// and mutations of the request line, the headers, the framing and the body. Written for this
// project (ideas from public request-smuggling and path-traversal lists, nothing copied): each
// mutation is one thing an attacker or a broken client does to a request.

/** mulberry32: small, fast, good enough to pick mutations; the same seed gives the same cases. */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
const int = (r: Rand, max: number): number => Math.floor(r() * max)

/** One request as parts that mutations edit; `render` joins them into the bytes on the wire. */
export interface Draft {
  method: string
  target: string
  version: string
  headers: Array<[string, string]>
  body: string
  /** Appended after the body as is (a second, smuggled or pipelined request, garbage). */
  trailer: string
  /** Line ending of the head (CRLF unless a mutation broke it). */
  eol: string
  /** What the mutations did (the case's name in a failure or the crash corpus). */
  notes: string[]
  /** The unique marker client-supplied header values carry (found upstream = leaked). */
  marker: string
}

export function render (d: Draft): string {
  const head = [`${d.method} ${d.target} ${d.version}`, ...d.headers.map(([n, v]) => `${n}: ${v}`)].join(d.eol)
  return `${head}${d.eol}${d.eol}${d.body}${d.trailer}`
}

const ROUTE_REQUESTS: Array<[string, string]> = [
  ['GET', '/api/users'], ['GET', '/api/users/1'], ['GET', '/api/projects'], ['GET', '/api/projects/2'],
  ['GET', '/api/budgets/1'], ['POST', '/api/projects'], ['POST', '/api/billings'], ['GET', '/api/other'],
  ['POST', '/api/other'], ['PUT', '/api/users/1'], ['DELETE', '/api/projects/2'], ['OPTIONS', '/api/budgets/1']
]

export function baseDraft (r: Rand, caseNo: number): Draft {
  const [method, target] = pick(r, ROUTE_REQUESTS)
  const body = method === 'GET' || method === 'OPTIONS' || method === 'DELETE' ? '' : '{"Name":"Fuzz","Code":"PRJ-0001","OwnerId":1}'
  const headers: Array<[string, string]> = [['Host', 'gw.test'], ['x-fuzz-case', String(caseNo)], ['Connection', 'close']]
  if (body !== '') headers.push(['Content-Type', 'application/json'], ['Content-Length', String(body.length)])
  if (target === '/api/billings') headers.push(['Idempotency-Key', `fuzz-${caseNo}`])
  return { method, target, version: 'HTTP/1.1', headers, body, trailer: '', eol: '\r\n', notes: [], marker: `fz${caseNo}q` }
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'get', 'PoSt', 'PROPFIND',
  'M-SEARCH', 'G ET', 'GET\t', 'X'.repeat(300), '', 'PURGE', 'SEARCH', 'QUERY', 'GE\u0000T']

const PATHS = [
  '/api/users/../../admin', '/api/users/%2e%2e/%2e%2e/admin', '/api/users/..%2fadmin', '/api/users/%2fadmin',
  '/api/users/..\\..\\admin', '/api/users/%5c..%5cadmin', '//api//users//1', '/api/./users/./1', '/API/USERS/1',
  '/api/users/1;jsessionid=x', '/api/users/1%3b.css', '/api/users/%00', '/api/users/1%0d%0aX-Injected:%20y',
  '/api/users/%c0%ae%c0%ae/admin', '/api/users/%252e%252e/admin', '/api/users/%u002e%u002e', '/api/users/1#frag',
  'http://evil.test/api/users/1', 'https://gw.test/api/budgets/1', '*', '/api/users/1?x=1&x=2&%00=1',
  '/api/budgets/%31', '/api/budgets/1/', '/api/budgets/1/..', '/api/budgets/1/%2e', '/%2e/api/budgets/1',
  '/api/budgets/\u00e9', '/api/budgets/' + 'a'.repeat(9000), '/api/users/1?' + 'q'.repeat(9000), 'api/users/1',
  '/api/users/1 HTTP/1.1', '/api/users/1\t', '/..;/api/users/1', '/api/users/.%2e/admin', '/_gateway/jobs/../x',
  '/_gateway/jobs/%2e%2e%2fadmin', '/api/billings/..', '/api/BILLINGS', '/api/billings%2f', '/api/users/\\\\evil'
]

const VERSIONS = ['HTTP/1.0', 'HTTP/1.1', 'HTTP/2.0', 'HTTP/1.1x', 'HTTP/0.9', 'http/1.1', 'HTTP/1.10', 'HTTPS/1.1', '']

const TE_VALUES = ['chunked', 'xchunked', '"chunked"', 'chunk', 'chunked;q=1', 'identity', 'gzip', 'gzip, chunked',
  'chunked, gzip', ' chunked', 'chunked ', 'CHUNKED', 'chunked\u000b', 'chunked, chunked', 'cow']

const CL_VALUES = ['-1', '+5', '0x5', '5 ', ' 5', '5,5', '5, 6', '99999999999999999999', '1e3', 'abc', '', '0', '1000']

/** Headers the gateway strips or replaces (or that an IIS backend honours): sent with the marker. */
export const SPOOFED_HEADERS = ['X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Proto', 'Forwarded', 'X-Gateway-Route',
  'X-Gateway-Target', 'X-Gateway-Force-Target', 'Proxy-Authorization', 'Keep-Alive', 'TE', 'Trailer', 'Upgrade',
  'X-Original-URL', 'X-Rewrite-URL', 'X-HTTP-Method-Override', 'X-Real-IP', 'True-Client-IP', 'X-Client-IP',
  'X_Forwarded_For', 'X-Forwarded_Host', 'x_gateway_route', 'Proxy-Connection', 'X-Request-Id']

type Mutation = (d: Draft, r: Rand) => void

function setHeader (d: Draft, name: string, value: string): void {
  d.headers = d.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase())
  d.headers.push([name, value])
}

const chunked = (body: string): string => body === '' ? '0\r\n\r\n' : `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`

const MUTATIONS: Array<[string, Mutation]> = [
  ['method', (d, r) => { d.method = pick(r, METHODS) }],
  ['path', (d, r) => { d.target = pick(r, PATHS) }],
  ['version', (d, r) => { d.version = pick(r, VERSIONS) }],
  ['spaces', (d, r) => { d.target = pick(r, [` ${d.target}`, `${d.target} `, d.target.replace('/', '/ ')]) }],
  ['spoof', (d, r) => {
    const name = pick(r, SPOOFED_HEADERS)
    const value = name.toLowerCase().includes('for') || name.toLowerCase().includes('ip') ? `6.6.6.6, ${d.marker}` : `${d.marker}.evil.test`
    d.headers.push([name, name === 'X-Request-Id' ? `${d.marker} bad id` : value])
    d.notes.push(name)
  }],
  ['duplicate-host', (d) => { d.headers.push(['Host', 'dup.evil.test']) }], // the only Host may legitimately become x-forwarded-host
  ['no-host', (d) => { d.headers = d.headers.filter(([n]) => n !== 'Host') }],
  ['obs-fold', (d, r) => { d.headers.push([pick(r, ['X-Folded', 'Transfer-Encoding', 'Content-Length']), `a\r\n ${pick(r, ['chunked', '5', d.marker])}`]) }],
  ['bare-cr', (d) => { d.headers.push(['X-Cr', `a\rInjected: ${d.marker}`]) }],
  ['bare-lf', (d) => { d.eol = '\n' }],
  ['nul', (d, r) => { d.headers.push([pick(r, ['X-Nul', 'X-N\u0000ul']), `a\u0000${d.marker}`]) }],
  ['space-before-colon', (d, r) => { d.headers.push([pick(r, ['Transfer-Encoding ', 'Content-Length ', 'Host ']), 'chunked']) }],
  ['underscore', (d, r) => { d.headers.push([pick(r, ['Content_Length', 'Transfer_Encoding', 'X_Forwarded_For', 'X_Gateway_Route']), `5${d.marker}`]) }],
  ['huge-header', (d, r) => { d.headers.push(['X-Huge', 'h'.repeat(pick(r, [8_000, 17_000, 70_000]))]) }],
  ['many-headers', (d, r) => { for (let i = 0; i < pick(r, [100, 2100]); i++) d.headers.push([`X-H${i}`, 'v']) }],
  ['te', (d, r) => {
    setHeader(d, 'Transfer-Encoding', pick(r, TE_VALUES))
    if (r() < 0.5) d.headers = d.headers.filter(([n]) => n !== 'Content-Length')
    d.body = chunked(d.body)
  }],
  ['te-and-cl', (d, r) => { setHeader(d, 'Transfer-Encoding', pick(r, TE_VALUES)); setHeader(d, 'Content-Length', String(int(r, 60))); d.body = chunked(d.body) }],
  ['cl', (d, r) => { setHeader(d, 'Content-Length', pick(r, CL_VALUES)) }],
  ['double-cl', (d, r) => { d.headers.push(['Content-Length', pick(r, [String(d.body.length), '0', '7'])]) }],
  ['chunk-size', (d, r) => {
    setHeader(d, 'Transfer-Encoding', 'chunked')
    d.headers = d.headers.filter(([n]) => n !== 'Content-Length')
    const size = pick(r, ['5 ', '-5', '0x5', 'ffffffffffffffff5', '5;' + 'e'.repeat(20_000), '5;a=b', 'G', '', ' 5', '5\t', '0000000005', '5\n'])
    d.body = `${size}\r\nhello\r\n0\r\n\r\n`
  }],
  ['bad-trailer', (d, r) => {
    setHeader(d, 'Transfer-Encoding', 'chunked')
    d.headers = d.headers.filter(([n]) => n !== 'Content-Length')
    d.body = `5\r\nhello\r\n0\r\n${pick(r, ['Bad Trailer', 'X: a\u0000', ' folded', 'Content-Length: 5', `X-Forwarded-For: ${d.marker}`])}\r\n\r\n`
  }],
  ['truncate-body', (d, r) => { d.body = d.body.slice(0, int(r, d.body.length)) }],
  ['extra-body', (d) => { d.body += 'EXTRA' }],
  ['smuggle', (d, r) => {
    d.trailer = pick(r, [
      `GET /api/budgets/1 HTTP/1.1\r\nHost: gw.test\r\nx-fuzz-case: ${d.marker}\r\n\r\n`,
      `POST /api/other HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 3\r\nx-fuzz-case: ${d.marker}\r\n\r\nabc`,
      'G', '0\r\n\r\n', 'GPOST /api/other HTTP/1.1\r\nHost: gw.test\r\n\r\n'
    ])
    if (r() < 0.5) d.headers = d.headers.filter(([n]) => n !== 'Connection')
  }],
  ['binary-body', (d, r) => {
    const len = pick(r, [1, 100, 70_000])
    let s = ''
    for (let i = 0; i < len; i++) s += String.fromCharCode(int(r, 256))
    d.body = s
    setHeader(d, 'Content-Length', String(len))
  }],
  ['expect', (d, r) => { d.headers.push(['Expect', pick(r, ['100-continue', '100-Continue', 'bogus', `${d.marker}`])]) }],
  ['connection-lists', (d, r) => { setHeader(d, 'Connection', pick(r, ['close, X-Fuzz-Case', 'keep-alive, Content-Length', 'close, Host', 'Upgrade', 'close, x-forwarded-for'])) }]
]

/** A base request with one to three mutations, deterministic for (rand state, caseNo). */
export function nextCase (r: Rand, caseNo: number): Draft {
  const d = baseDraft(r, caseNo)
  const n = 1 + int(r, 3)
  for (let i = 0; i < n; i++) {
    const [name, mutate] = pick(r, MUTATIONS)
    d.notes.push(name)
    mutate(d, r)
  }
  return d
}
