// Trace ids whose first 4 bytes are the epoch second the trace started, the rest random: still
// valid W3C trace ids (16 bytes, not all zero), and also valid X-Ray roots, so a function with
// active tracing can join the gateway's trace (xray-header.ts). Span ids are 8 random bytes.
import { randomFillSync } from 'node:crypto'
import type { IdGenerator } from '@opentelemetry/sdk-trace'

// One pool refilled in bulk: crypto per id costs more than the span itself.
const POOL_BYTES = 4096
const pool = Buffer.alloc(POOL_BYTES)
let offset = POOL_BYTES

function randomHex (bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const hex = pool.toString('hex', offset, offset + bytes)
  offset += bytes
  return hex
}

export class TimeTraceIdGenerator implements IdGenerator {
  constructor (private readonly nowMs: () => number = Date.now) {}

  generateTraceId (): string {
    const seconds = Math.floor(this.nowMs() / 1000) >>> 0
    return seconds.toString(16).padStart(8, '0') + randomHex(12)
  }

  generateSpanId (): string {
    let id = randomHex(8)
    while (id === '0000000000000000') id = randomHex(8)
    return id
  }
}
