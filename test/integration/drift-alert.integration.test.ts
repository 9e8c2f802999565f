/**
 * Every drift vector on a role tagged `mwaa-role-guard:mode=alert`, on moto: the role's state afterwards, the alert
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

describe('alert mode: reported, never written', () => {
  it.each(vectors)('$name ($doc)', (vector) => runVector(world, vector, 'alert'))
})
