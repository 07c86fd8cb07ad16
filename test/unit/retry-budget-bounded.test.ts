import t from 'tap'
import { RetryBudget } from '../../gateway/src/protection/retry-budget.js'

t.test('allowance is max(minRetryConcurrency, budgetPercent of active requests)', async t => {
  const budget = new RetryBudget({ budgetPercent: 20, minRetryConcurrency: 3 })
  t.equal(budget.allowance, 3)
  const ends = Array.from({ length: 50 }, () => budget.startRequest())
  t.equal(budget.allowance, 10, '20% of 50')
  for (const end of ends) { end(); end() }
  t.equal(budget.activeRequests, 0, 'ending twice counts once')
})

t.test('under 200 concurrent failing requests, active retries never exceed the budget', async t => {
  const budget = new RetryBudget({ budgetPercent: 20, minRetryConcurrency: 3 })
  let violations = 0
  let granted = 0
  const one = async (i: number): Promise<void> => {
    const end = budget.startRequest()
    await new Promise(resolve => setTimeout(resolve, i % 7))
    const endRetry = budget.tryStartRetry()
    if (endRetry) {
      granted++
      if (budget.activeRetries > budget.allowance) violations++
      await new Promise(resolve => setTimeout(resolve, 5))
      endRetry()
      endRetry()
    }
    end()
  }
  await Promise.all(Array.from({ length: 200 }, (_, i) => one(i)))
  t.equal(violations, 0)
  t.ok(budget.maxActiveRetriesSeen <= 40, `max concurrent retries ${budget.maxActiveRetriesSeen} <= 20% of 200`)
  t.ok(granted > 0 && budget.denied > 0, `granted ${granted}, denied ${budget.denied}`)
  t.equal(budget.activeRetries, 0)
})
