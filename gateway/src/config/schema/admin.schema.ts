// `admin`: the ops listener (/healthz, /readyz, /metrics, /admin/*). Loopback by default; any
// other address requires GATEWAY_ADMIN_TOKEN (the server shell refuses to start without it).
import { Type } from '@sinclair/typebox'
import { Port, Section } from './common.schema.js'

export const AdminSchema = Section({
  host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface the admin listener binds to (env ADMIN_HOST)' }),
  port: Port(9090, 'Admin listener port (env ADMIN_PORT)')
}, { description: 'Admin/ops listener' })
