// The check a function using AWS Lambda Powertools' parser makes at its boundary, made stricter:
// the event must parse with APIGatewayProxyEventV2Schema AND come out of it unchanged, i.e. it
// carries no field (at any depth) the schema does not know, since zod strips unknown keys.
import { isDeepStrictEqual } from 'node:util'
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas'

/** `[]` when valid; else `path: message` per issue, or a note naming the fields the schema dropped. */
export function powertoolsV2Problems (event: unknown): string[] {
  const parsed = APIGatewayProxyEventV2Schema.safeParse(event)
  if (!parsed.success) return parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`)
  if (isDeepStrictEqual(parsed.data, event)) return []
  return [`fields outside the schema: sent ${JSON.stringify(event)}, parsed ${JSON.stringify(parsed.data)}`]
}
