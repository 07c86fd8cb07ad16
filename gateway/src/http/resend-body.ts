// A request body that was read whole (readBody) and must now go on through @fastify/reply-from
// (forwardToLegacy) as it came. reply-from does not send a Buffer as bytes: with a JSON
// content-type it JSON.stringify()s it ({"type":"Buffer","data":[...]}), so the bytes and the
// client's content-length no longer agree and undici refuses the request (502). A stream is
// forwarded unchanged, whatever the content-type.
import { Readable } from 'node:stream'

/** The value to put back into `request.body` before proxying a buffered body. */
export function resendableBody (body: Buffer): Readable | undefined {
  return body.length > 0 ? Readable.from([body]) : undefined
}
