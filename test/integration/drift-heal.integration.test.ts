/**
 * Every drift vector on a role tagged `mwaa-role-guard:mode=heal`, on moto: the role's state afterwards, the alert
 * delivered through SNS, and the re-check the alert suggests.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { startWorld, type World } from '../support/world'
import { runVector, vectors } from './drift-vectors'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('heal mode', () => {
  it.each(vectors)('$name ($doc)', (vector) => runVector(world, vector, 'heal'))
})
