// The in-memory database of the stub: seeded users, projects and budgets plus every write
// (created projects, billings, idempotency records). Pure data in, data out: no HTTP here.
import type { Budget, Project, SeedData, User } from './seed.js'
import type { FieldErrors } from './errors.js'
import { IdempotencyKeyReusedError, ProjectCodeTakenError, validationError } from './errors.js'
import type { NewBilling, NewProject } from './validate-bodies.js'

export interface Billing {
  Id: number
  ProjectId: number
  Amount: number
  Currency: string
  Description: string
  BilledOn: string
  UserId: number | null
  IdempotencyKey: string | null
  CreatedAt: string
}

export interface BillingResult { billing: Billing, replayed: boolean }

interface IdempotencyRecord { fingerprint: string, billingId: number }

/** Cents, so repeated additions of decimal amounts do not drift. */
const money = (n: number): number => Math.round(n * 100) / 100

export class LegacyStore {
  #seed: SeedData
  #users = new Map<number, User>()
  #projects = new Map<number, Project>()
  #budgets = new Map<number, Budget>()
  #billings: Billing[] = []
  #idempotency = new Map<string, IdempotencyRecord>()
  #now: () => Date
  projectsCreated = 0

  constructor (seed: SeedData, now: () => Date = () => new Date()) {
    this.#seed = seed
    this.#now = now
    this.reset()
  }

  /** Back to the seed: drops every write and idempotency record. */
  reset (): void {
    const seed = structuredClone(this.#seed)
    this.#users = new Map(seed.Users.map(u => [u.Id, u]))
    this.#projects = new Map(seed.Projects.map(p => [p.Id, p]))
    this.#budgets = new Map(seed.Budgets.map(b => [b.ProjectId, b]))
    this.#billings = []
    this.#idempotency.clear()
    this.projectsCreated = 0
  }

  users (): User[] { return [...this.#users.values()] }
  user (id: number): User | undefined { return this.#users.get(id) }
  projects (): Project[] { return [...this.#projects.values()] }
  project (id: number): Project | undefined { return this.#projects.get(id) }
  budget (projectId: number): Budget | undefined { return this.#budgets.get(projectId) }
  billing (id: number): Billing | undefined { return this.#billings[id - 1] }
  get billingCount (): number { return this.#billings.length }

  billings (projectId?: number): Billing[] {
    return projectId === undefined ? [...this.#billings] : this.#billings.filter(b => b.ProjectId === projectId)
  }

  /** Creates a project and its (empty) budget. Throws 400 for unknown users, 409 for a taken Code. */
  createProject (input: NewProject): Project {
    const errors: FieldErrors = {}
    if (!this.#users.has(input.OwnerId)) errors.OwnerId = [`User ${input.OwnerId} does not exist.`]
    const unknown = input.MemberIds.filter(id => !this.#users.has(id))
    if (unknown.length > 0) errors.MemberIds = unknown.map(id => `User ${id} does not exist.`)
    if (Object.keys(errors).length > 0) throw validationError(errors)
    const code = input.Code.toUpperCase()
    if (this.projects().some(p => p.Code.toUpperCase() === code)) throw new ProjectCodeTakenError(input.Code)

    const id = Math.max(0, ...this.#projects.keys()) + 1
    const project: Project = {
      Id: id,
      Name: input.Name,
      Code: input.Code,
      OwnerId: input.OwnerId,
      Status: input.Status,
      StartDate: input.StartDate,
      MemberIds: [...input.MemberIds]
    }
    this.#projects.set(id, project)
    this.#budgets.set(id, {
      ProjectId: id,
      Currency: input.Currency,
      Total: input.BudgetTotal,
      Spent: 0,
      FiscalYear: Number(input.StartDate.slice(0, 4))
    })
    this.projectsCreated++
    return project
  }

  /**
   * Stores a billing and adds its Amount to the project's budget `Spent`. With an idempotency key
   * a repeat of the same request returns the original billing (`replayed`) and stores nothing; the
   * same key with another body throws 422. Requests that fail validation leave no record (Stripe).
   */
  createBilling (input: NewBilling, idempotencyKey?: string): BillingResult {
    const fingerprint = JSON.stringify(input)
    if (idempotencyKey !== undefined) {
      const record = this.#idempotency.get(idempotencyKey)
      if (record !== undefined) {
        if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(idempotencyKey)
        return { billing: this.#billings[record.billingId - 1] as Billing, replayed: true }
      }
    }
    const budget = this.#budgets.get(input.ProjectId)
    const errors: FieldErrors = {}
    if (!this.#projects.has(input.ProjectId) || budget === undefined) {
      errors.ProjectId = [`Project ${input.ProjectId} does not exist.`]
    } else if (budget.Currency !== input.Currency) {
      errors.Currency = [`Currency must match the project's budget currency (${budget.Currency}).`]
    }
    if (input.UserId !== null && !this.#users.has(input.UserId)) errors.UserId = [`User ${input.UserId} does not exist.`]
    if (Object.keys(errors).length > 0 || budget === undefined) throw validationError(errors)

    const billing: Billing = {
      Id: this.#billings.length + 1,
      ...input,
      IdempotencyKey: idempotencyKey ?? null,
      CreatedAt: this.#now().toISOString()
    }
    this.#billings.push(billing)
    budget.Spent = money(budget.Spent + input.Amount)
    if (idempotencyKey !== undefined) this.#idempotency.set(idempotencyKey, { fingerprint, billingId: billing.Id })
    return { billing, replayed: false }
  }
}
