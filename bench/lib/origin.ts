// The physical limit: a bare Node http origin answering a small JSON body, keep-alive, no logging.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

const BODY = Buffer.from(JSON.stringify({ ProjectId: 1, Amount: 125000, Currency: 'EUR', Spent: 40250.5 }))

export async function startOrigin (port = 0): Promise<{ url: string, server: Server, close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    // Drain any body so keep-alive connections stay usable.
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': BODY.length })
      res.end(BODY)
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
