// One HTTP/1.1 exchange as raw bytes over a net.Socket: the request is written exactly as given
// (header names with underscores, duplicate or odd headers, no client-side normalisation) and
// the answer read until the server closes (send `Connection: close`) or the deadline passes.
import { connect } from 'node:net'

export interface RawAnswer { status: number, headers: Record<string, string>, body: string, text: string }

/** `url` is the gateway's `http://host:port`; `bytes` the whole request. */
export async function rawExchange (url: string, bytes: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`rawExchange: no complete answer within ${timeoutMs} ms: ${Buffer.concat(chunks).toString('latin1')}`)) }, timeoutMs)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', (err) => { clearTimeout(timer); reject(err) })
    socket.on('end', () => {
      clearTimeout(timer)
      socket.destroy()
      const text = Buffer.concat(chunks).toString('latin1')
      resolve(parseAnswer(text))
    })
    socket.write(bytes)
  })
}

function parseAnswer (text: string): RawAnswer {
  const split = text.indexOf('\r\n\r\n')
  const head = split === -1 ? text : text.slice(0, split)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: split === -1 ? '' : text.slice(split + 4), text }
}

/** A request's bytes: request line, `Host`, the given header lines verbatim, `Connection: close`. */
export function rawRequestBytes (method: string, target: string, headerLines: string[], body = ''): string {
  const length = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]
  return [`${method} ${target} HTTP/1.1`, 'Host: gw.test', ...headerLines, ...length, 'Connection: close', '', body].join('\r\n')
}
