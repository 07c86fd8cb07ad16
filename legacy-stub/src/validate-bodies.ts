// Request bodies of the two writes, validated like an ASP.NET [ApiController] would: every
// field error at once, 400 ValidationProblemDetails, nothing stored. Pure functions.
import type { FieldErrors } from './errors.js'
import { validationError } from './errors.js'
import type { ProjectStatus } from './seed.js'
import {
  FieldCollector, canonicalFields, dateField, decimalField, enumField, intArrayField, intField, stringField
} from './field-rules.js'

export interface NewProject {
  Name: string
  Code: string
  OwnerId: number
  Status: ProjectStatus
  StartDate: string
  MemberIds: number[]
  BudgetTotal: number
  Currency: string
}

export interface NewBilling {
  ProjectId: number
  Amount: number
  Currency: string
  Description: string
  BilledOn: string
  UserId: number | null
}

export const PROJECT_STATUSES: readonly ProjectStatus[] = ['Planned', 'Active', 'OnHold', 'Closed']
const CURRENCY = /^[A-Z]{3}$/
const PROJECT_CODE = /^PRJ-\d{4}$/
const ID = { min: 1, max: 2_147_483_647 }

/** The body as an object, or the errors ASP.NET gives for a missing or non-object body. */
function bodyObject (body: unknown, type: string): Record<string, unknown> {
  if (body === undefined || body === null || body === '') throw validationError({ '': ['A non-empty request body is required.'] })
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw validationError({ $: [`The JSON value could not be converted to ${type}.`] })
  }
  return body as Record<string, unknown>
}

function done<T> (c: FieldCollector, value: () => T): T {
  if (!c.ok) throw validationError(c.errors satisfies FieldErrors)
  return value()
}

/** `POST /api/Projects`. `today` (yyyy-MM-dd) is the default StartDate. */
export function validateNewProject (body: unknown, today: string): NewProject {
  const f = canonicalFields(bodyObject(body, 'CreateProjectRequest'),
    ['Name', 'Code', 'OwnerId', 'Status', 'StartDate', 'MemberIds', 'BudgetTotal', 'Currency'])
  const c = new FieldCollector()
  const name = stringField(c, 'Name', f.Name, { required: true, min: 3, max: 200 })
  const code = stringField(c, 'Code', f.Code, { required: true, max: 8, pattern: PROJECT_CODE })
  const ownerId = intField(c, 'OwnerId', f.OwnerId, { required: true, ...ID })
  const status = enumField(c, 'Status', f.Status, PROJECT_STATUSES)
  const startDate = dateField(c, 'StartDate', f.StartDate, { required: false })
  const memberIds = intArrayField(c, 'MemberIds', f.MemberIds, { maxItems: 50 })
  const budgetTotal = decimalField(c, 'BudgetTotal', f.BudgetTotal, { required: false, min: 0, max: 100_000_000, decimals: 2 })
  const currency = stringField(c, 'Currency', f.Currency, { required: false, max: 3, pattern: CURRENCY })
  return done(c, () => ({
    Name: name as string,
    Code: code as string,
    OwnerId: ownerId as number,
    Status: status ?? 'Planned',
    StartDate: startDate ?? today,
    MemberIds: [...new Set(memberIds ?? [])],
    BudgetTotal: budgetTotal ?? 0,
    Currency: currency ?? 'EUR'
  }))
}

/** `POST /api/Billings`. The field order of the result is fixed: it is the idempotency fingerprint. */
export function validateNewBilling (body: unknown): NewBilling {
  const f = canonicalFields(bodyObject(body, 'CreateBillingRequest'),
    ['ProjectId', 'Amount', 'Currency', 'Description', 'BilledOn', 'UserId'])
  const c = new FieldCollector()
  const projectId = intField(c, 'ProjectId', f.ProjectId, { required: true, ...ID })
  const amount = decimalField(c, 'Amount', f.Amount, { required: true, min: 0.01, max: 1_000_000, decimals: 2 })
  const currency = stringField(c, 'Currency', f.Currency, { required: true, max: 3, pattern: CURRENCY })
  const description = stringField(c, 'Description', f.Description, { required: true, max: 500 })
  const billedOn = dateField(c, 'BilledOn', f.BilledOn, { required: true })
  const userId = intField(c, 'UserId', f.UserId, { required: false, ...ID })
  return done(c, () => ({
    ProjectId: projectId as number,
    Amount: amount as number,
    Currency: currency as string,
    Description: description as string,
    BilledOn: billedOn as string,
    UserId: userId ?? null
  }))
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** The Idempotency-Key header: absent, or 1..255 visible ASCII characters. */
export function validateIdempotencyKey (header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined
  if (typeof header === 'string' && IDEMPOTENCY_KEY.test(header)) return header
  throw validationError({ 'Idempotency-Key': ['The Idempotency-Key header must be 1 to 255 visible ASCII characters.'] })
}
