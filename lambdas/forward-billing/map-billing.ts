// The new API's billing (camelCase) ↔ the legacy's (PascalCase), and the legacy's ProblemDetails
// field errors → our `{ path, message }` list. Pure.
import type { FieldError } from '../shared/errors.js'

export interface NewBilling {
  projectId: number
  amount: number
  currency: string
  description: string
  billedOn: string
  userId?: number
}

export interface LegacyBillingRequest {
  ProjectId: number
  Amount: number
  Currency: string
  Description: string
  BilledOn: string
  UserId?: number
}

export interface BillingDto {
  id: number
  projectId: number
  amount: number
  currency: string
  description: string
  billedOn: string
  userId: number | null
  idempotencyKey: string | null
  createdAt: string
}

export function toLegacyBilling (b: NewBilling): LegacyBillingRequest {
  return {
    ProjectId: b.projectId,
    Amount: b.amount,
    Currency: b.currency,
    Description: b.description,
    BilledOn: b.billedOn,
    ...(b.userId !== undefined ? { UserId: b.userId } : {})
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): v is string => typeof v === 'string'
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** The legacy's created billing, or undefined when the answer is not one (→ 502, not a guess). */
export function fromLegacyBilling (value: unknown): BillingDto | undefined {
  if (!isRecord(value)) return undefined
  const { Id, ProjectId, Amount, Currency, Description, BilledOn, UserId, IdempotencyKey, CreatedAt } = value
  if (!num(Id) || !num(ProjectId) || !num(Amount) || !str(Currency) || !str(Description) || !str(BilledOn) || !str(CreatedAt)) {
    return undefined
  }
  return {
    id: Id,
    projectId: ProjectId,
    amount: Amount,
    currency: Currency,
    description: Description,
    billedOn: BilledOn,
    userId: num(UserId) ? UserId : null,
    idempotencyKey: str(IdempotencyKey) ? IdempotencyKey : null,
    createdAt: CreatedAt
  }
}

function fieldPath (key: string): string {
  if (key === '' || key === '$') return '/body'
  if (key.toLowerCase() === 'idempotency-key') return '/headers/idempotency-key'
  const name = key.replace(/^\$\./, '')
  return `/body/${name.charAt(0).toLowerCase()}${name.slice(1)}`
}

/** ASP.NET `errors: { Field: [messages] }` → one FieldError per message, camelCase paths. */
export function fromLegacyErrors (value: unknown): FieldError[] | undefined {
  if (!isRecord(value) || !isRecord(value.errors)) return undefined
  const out: FieldError[] = []
  for (const [key, messages] of Object.entries(value.errors)) {
    for (const message of Array.isArray(messages) ? messages : [messages]) {
      if (str(message)) out.push({ path: fieldPath(key), message })
    }
  }
  return out
}
