// `down: true` must look like a dead box, not a polite 503: the TCP connection is reset (RST).
// We own the http.Server (Fastify's serverFactory) so the check runs before Fastify sees the
// request. The one request still served while down is `POST /__faults`, so a test or an
// operator on another process can bring the box back with `{ "down": false }`.
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

const FAULTS_PATH = /^\/__faults\/?(\?.*)?$/i

export class DownSwitch {
  down = false
  #sockets = new Set<Socket>()

  /** For Fastify's `serverFactory` option. */
  readonly serverFactory = (handler: Handler): Server => {
    const server = createServer((req, res) => {
      if (this.down && !(req.method === 'POST' && FAULTS_PATH.test(req.url ?? ''))) {
        req.socket.resetAndDestroy()
        return
      }
      handler(req, res)
    })
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket)
      socket.once('close', () => this.#sockets.delete(socket))
    })
    return server
  }

  /** Go down: reset every open connection but `keep` (the one asking for it). */
  goDown (keep?: Socket): void {
    this.down = true
    for (const socket of this.#sockets) {
      if (socket !== keep) socket.resetAndDestroy()
    }
  }

  comeUp (): void {
    this.down = false
  }
}
