import { describe, expect, it } from 'vitest'
import { emptyRecord, roleRecordSchema } from '../../lib/incidents'
import { DOC } from './docs'
import { T0 } from './support'

const good = {
  ...emptyRecord('exec-role'),
  rev: 3,
  lastKnownGood: {
    hash: '0123456789abcdef',
    at: T0,
    inline: [
      {
        name: 'logs',
        document: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
        }),
      },
    ],
    managed: [],
  },
}

describe('a stored role record is data: validated when read back', () => {
  it(`${DOC.dynamoItems}: a well-formed item parses, its documents decoded`, () => {
    const parsed = roleRecordSchema.parse(good)
    expect(parsed.lastKnownGood?.inline[0]?.document).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
    })
  })

  it.each([
    ['another schema version', { ...good, v: 2 }, 'v'],
    ['a negative revision', { ...good, rev: -1 }, 'rev'],
    [
      'an incident id in another form',
      {
        ...good,
        incidents: [
          {
            id: 'x',
            environment: 'e',
            region: 'r',
            fingerprint: '0123456789abcdef',
            openedAt: 1,
            notifiedAt: 1,
            missing: 1,
            features: [],
          },
        ],
      },
      'incidents',
    ],
    [
      'a remembered document that is not JSON',
      { ...good, lastKnownGood: { ...good.lastKnownGood, inline: [{ name: 'logs', document: '{not json' }] } },
      'lastKnownGood',
    ],
    [
      'a remembered document without statements',
      {
        ...good,
        lastKnownGood: { ...good.lastKnownGood, inline: [{ name: 'logs', document: '{"Version":"2012-10-17"}' }] },
      },
      'lastKnownGood',
    ],
    [
      'an Effect that is neither Allow nor Deny',
      {
        ...good,
        lastKnownGood: {
          ...good.lastKnownGood,
          inline: [{ name: 'logs', document: '{"Statement":[{"Effect":"Permit","Action":"*"}]}' }],
        },
      },
      'lastKnownGood',
    ],
    [
      'a heal list beyond any window',
      { ...good, heals: Array.from({ length: 51 }, () => ({ at: 1, actors: [] })) },
      'heals',
    ],
  ])(`${DOC.dynamoItems}: %s is rejected (the field is named)`, (_name, item, field) => {
    const result = roleRecordSchema.safeParse(item)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path[0]).toBe(field)
  })
})
