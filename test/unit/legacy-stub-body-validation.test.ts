// Pure validation of the write bodies, the Idempotency-Key header and the faults body: defaults,
// case-insensitive property names, and every error message.
import t from 'tap'
import { validateIdempotencyKey, validateNewBilling, validateNewProject } from '../../legacy-stub/src/validate-bodies.js'
import { applyFaultsPatch, validateFaultsPatch } from '../../legacy-stub/src/faults.js'

const errorsOf = (fn: () => unknown): unknown => {
  try {
    fn()
  } catch (err) {
    return (err as { code: string, errors: unknown }).code === 'STUB_ERR_VALIDATION' ? (err as { errors: unknown }).errors : err
  }
  return 'no error'
}

t.test('project defaults and canonical names', async t => {
  t.same(validateNewProject({ NAME: 'Abc', code: 'PRJ-0001', OwnerID: 2 }, '2026-11-28'), {
    Name: 'Abc',
    Code: 'PRJ-0001',
    OwnerId: 2,
    Status: 'Planned',
    StartDate: '2026-11-28',
    MemberIds: [],
    BudgetTotal: 0,
    Currency: 'EUR'
  })
  t.same(errorsOf(() => validateNewProject({ Name: 'x'.repeat(201), Code: 'PRJ-12345', OwnerId: 0, MemberIds: Array(51).fill(1), StartDate: 5 }, '')), {
    Name: ['The field Name must be a string with a minimum length of 3 and a maximum length of 200.'],
    Code: ['The field Code must be a string with a maximum length of 8.'],
    OwnerId: ['The field OwnerId must be between 1 and 2147483647.'],
    StartDate: ['The JSON value could not be converted to System.DateOnly.'],
    MemberIds: ["The field MemberIds must be a string or array type with a maximum length of '50'."]
  })
  t.same(errorsOf(() => validateNewProject({ Name: 'Abc', Code: 'PRJ-0001', OwnerId: 1, Status: 3, StartDate: '1899-12-31' }, '')), {
    Status: ['The JSON value could not be converted to System.String.'],
    StartDate: ['The JSON value could not be converted to System.DateOnly.']
  })
  t.same(errorsOf(() => validateNewProject(42, '')), { $: ['The JSON value could not be converted to CreateProjectRequest.'] })
  t.same(errorsOf(() => validateNewProject(undefined, '')), { '': ['A non-empty request body is required.'] })
})

t.test('billing: the result order is the idempotency fingerprint', async t => {
  const a = validateNewBilling({ billedon: '2026-01-31', description: 'd', currency: 'EUR', amount: 1, projectid: 1 })
  const b = validateNewBilling({ ProjectId: 1, Amount: 1, Currency: 'EUR', Description: 'd', BilledOn: '2026-01-31', UserId: null })
  t.equal(JSON.stringify(a), JSON.stringify(b))
  t.same(Object.keys(a), ['ProjectId', 'Amount', 'Currency', 'Description', 'BilledOn', 'UserId'])
  t.same(errorsOf(() => validateNewBilling({ ProjectId: 3_000_000_000, Amount: Infinity, Currency: 'EU', Description: '', BilledOn: '2026-13-01' })), {
    ProjectId: ['The JSON value could not be converted to System.Int32.'],
    Amount: ['The JSON value could not be converted to System.Decimal.'],
    Currency: ["The field Currency must match the regular expression '^[A-Z]{3}$'."],
    Description: ['The Description field is required.'],
    BilledOn: ['The JSON value could not be converted to System.DateOnly.']
  })
})

t.test('Idempotency-Key header', async t => {
  t.equal(validateIdempotencyKey(undefined), undefined)
  t.equal(validateIdempotencyKey('a-b_c:1'), 'a-b_c:1')
  const message = { 'Idempotency-Key': ['The Idempotency-Key header must be 1 to 255 visible ASCII characters.'] }
  t.same(errorsOf(() => validateIdempotencyKey(['a', 'b'])), message)
  t.same(errorsOf(() => validateIdempotencyKey('ä')), message)
})

t.test('faults patch', async t => {
  t.same(validateFaultsPatch({}), {})
  t.same(validateFaultsPatch({ latencyMs: null, errorRate: 0, down: false }), { latencyMs: null, errorRate: 0, down: false })
  t.same(errorsOf(() => validateFaultsPatch({ latencyMs: 1.5 })), {
    latencyMs: ['Must be an integer from 0 to 60000, or null for the configured latency.']
  })
  t.same(errorsOf(() => validateFaultsPatch(null)), { '': ['A JSON object is required: { latencyMs?, errorRate?, down? }.'] })
  const current = { latencyMs: 50, errorRate: 0.2, down: true }
  t.same(applyFaultsPatch(current, {}, 20), current)
  t.same(applyFaultsPatch(current, { latencyMs: null, down: false }, 20), { latencyMs: 20, errorRate: 0.2, down: false })
  t.same(applyFaultsPatch(current, { latencyMs: 0, errorRate: 1 }, 20), { latencyMs: 0, errorRate: 1, down: true })
})
