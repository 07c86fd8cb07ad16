// A small OTLP/HTTP trace receiver for docker-compose's `observability` profile: the gateway
// exports to it (OTEL_EXPORTER_OTLP_ENDPOINT=http://otlp-viewer:4318) and it shows the last
// traces as trees. A stand-in for a tracing backend (Jaeger, Tempo, an OpenTelemetry Collector),
// which takes the same endpoint; it keeps OTLP/HTTP JSON (what the gateway sends) in memory only.
//   POST /v1/traces        OTLP/HTTP JSON (gzip or not) → 200 {}
//   GET  /                 the last traces as indented text trees, newest first
//   GET  /api/traces       the same as JSON: [{ traceId, spans, tree }]
//   GET  /healthz          200
// Env: OTLP_VIEWER_HOST (0.0.0.0), OTLP_VIEWER_PORT (4318), OTLP_VIEWER_MAX_TRACES (200).
import { createServer } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { pathToFileURL } from 'node:url'
import { decodeExportRequest, formatTree, treeOf } from './otlp-json.mjs'

const MAX_BODY = 16 * 1024 * 1024

/** Starts the viewer; resolves with its URL and close(). */
export async function startViewer ({ host = '0.0.0.0', port = 4318, maxTraces = 200 } = {}) {
  const traces = new Map() // traceId → spans, oldest first (Map keeps insertion order)
  const keep = (spans) => {
    for (const s of spans) {
      const list = traces.get(s.traceId)
      if (list) list.push(s)
      else traces.set(s.traceId, [s])
    }
    while (traces.size > maxTraces) traces.delete(traces.keys().next().value)
  }
  const newest = () => [...traces.entries()].reverse()
  const server = createServer((req, res) => {
    const chunks = []
    let size = 0
    req.on('data', c => { size += c.length; if (size <= MAX_BODY) chunks.push(c) })
    req.on('end', () => {
      try {
        if (req.method === 'POST' && req.url === '/v1/traces') {
          if (size > MAX_BODY) return send(res, 413, { message: 'too large' })
          let raw = Buffer.concat(chunks)
          if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw)
          if (!String(req.headers['content-type']).startsWith('application/json')) return send(res, 415, { message: 'OTLP/HTTP JSON only (OTEL_EXPORTER_OTLP_PROTOCOL=http/json)' })
          keep(decodeExportRequest(JSON.parse(raw.toString('utf8'))))
          return send(res, 200, {})
        }
        if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true })
        if (req.method === 'GET' && req.url === '/api/traces') {
          return send(res, 200, newest().map(([traceId, spans]) => ({ traceId, spans: spans.length, tree: formatTree(treeOf(spans)) })))
        }
        if (req.method === 'GET' && (req.url === '/' || req.url === '/traces')) {
          const text = newest().map(([traceId, spans]) => `trace ${traceId}\n${formatTree(treeOf(spans))}\n`).join('\n')
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text || 'no traces yet\n')
          return
        }
        send(res, 404, { message: 'not found' })
      } catch (err) {
        send(res, 400, { message: err.message })
      }
    })
  })
  await new Promise(resolve => server.listen(port, host, resolve))
  const address = server.address()
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: () => new Promise(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

function send (res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const viewer = await startViewer({
    host: process.env.OTLP_VIEWER_HOST || '0.0.0.0',
    port: Number(process.env.OTLP_VIEWER_PORT || 4318),
    maxTraces: Number(process.env.OTLP_VIEWER_MAX_TRACES || 200)
  })
  console.log(`otlp-viewer listening on ${viewer.url}: POST /v1/traces, GET / for the last traces`)
  const stop = () => { viewer.close().then(() => process.exit(0)) }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
