// The users domain and its mapping, without any event: pure functions over seed records.
import t from 'tap'
import { getUser } from '../../lambdas/users/get-user.js'
import { listUsers } from '../../lambdas/users/list-users.js'
import { isoDateTime, toUserDto } from '../../lambdas/users/map-user.js'
import type { SeedUser } from '../../lambdas/shared/seed.js'

const user = (id: number): SeedUser => ({
  Id: id, UserName: `u${id}`, FirstName: 'Ada', LastName: `L${id}`, Email: `u${id}@x.test`, Department: 'HR', IsActive: id % 2 === 0, HiredOn: '2020-01-02'
})

t.test('listUsers orders by id and leaves the input alone', async t => {
  const input = [user(3), user(1), user(2)]
  t.same(listUsers(input).map(u => u.Id), [1, 2, 3])
  t.same(input.map(u => u.Id), [3, 1, 2])
})

t.test('getUser finds by id or gives undefined', async t => {
  const input = [user(1), user(2)]
  t.equal(getUser(input, 2)?.UserName, 'u2')
  t.equal(getUser(input, 9), undefined)
})

t.test('toUserDto maps every PascalCase field and derives fullName', async t => {
  t.strictSame(toUserDto(user(4)), {
    id: 4, userName: 'u4', firstName: 'Ada', lastName: 'L4', fullName: 'Ada L4', email: 'u4@x.test', department: 'HR', isActive: true, hiredOn: '2020-01-02T00:00:00.000Z'
  })
})

t.test('hiredOn: a legacy date becomes an ISO 8601 date-time at midnight UTC (the documented difference)', async t => {
  t.equal(isoDateTime('2012-11-07'), '2012-11-07T00:00:00.000Z')
  t.equal(isoDateTime('2012-11-07T08:00:00Z'), '2012-11-07T08:00:00Z', 'not a plain date: passed through')
  t.equal(isoDateTime(''), '')
})
