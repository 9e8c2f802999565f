/**
 * The mutator the property and fuzz tests rely on: every mutation really changes the event (a silent no-op would
 * only make a fuzz run weaker), deterministically, and the JSON text is what the Lambda runtime would parse.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tooDeepAt } from '../../lib/json-depth'
import { loadCorpus, readJson, SAMPLES } from '../events/corpus'
import { type Aim, aimAt, type Mutation, mutate, ODD_VALUES, realEvents } from './event-mutator'
import { toJsonText } from './json-text'

const RFC_NAMES = 'https://www.rfc-editor.org/rfc/rfc8259#section-4'
const sample = readJson(join(SAMPLES, 'iam-put-role-policy.json'))
const original = toJsonText(sample)

const oneOfEach: Mutation[] = [
  { kind: 'delete', at: 3 },
  { kind: 'retype', at: 3, to: null },
  { kind: 'nest', at: 3, depth: 1_000, shape: 'object' },
  { kind: 'nest-json-string', at: 0, depth: 1_000 },
  { kind: 'huge-string', at: 0, length: 300_000 },
  { kind: 'lone-surrogate', at: 0, char: '\ud800', position: 'middle' },
  { kind: 'odd-account', at: 1, value: '1234567890123' },
  { kind: 'odd-region', at: 1, value: 'us-east-1.evil.example' },
  { kind: 'odd-arn', at: 0, value: 'arn:' },
  { kind: 'error-code', value: '' },
  { kind: 'rename-event', name: 'DeleteRole' },
  { kind: 'duplicate-key', at: 0, earlier: 'x' },
  { kind: 'proto-key', at: 0, value: { polluted: true } },
]

describe('event mutator', () => {
  it('reads every corpus fixture and every sample', () => {
    const files = realEvents().map((e) => e.file)
    const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.json'))
    expect(files.sort()).toEqual(
      [...loadCorpus().map((r) => `fixtures/${r.file}`), ...samples.map((f) => `samples/${f}`)].sort(),
    )
  })

  it.each(oneOfEach.map((m) => [m.kind, m] as const))('%s changes the event, the same way every time', (_k, m) => {
    const text = mutate(sample, [m])
    expect(text).not.toBe(original)
    expect(mutate(sample, [m])).toBe(text)
    expect(() => JSON.parse(text)).not.toThrow()
  })

  it(`a duplicated key is written twice and JSON.parse keeps the real (last) one (${RFC_NAMES})`, () => {
    const text = mutate(sample, [{ kind: 'duplicate-key', at: 0, earlier: 'x' }])
    expect(JSON.parse(text)).toEqual(JSON.parse(original))
    expect(text.length).toBeGreaterThan(original.length)
  })

  it('deep nesting is as deep as asked, and written without a RangeError', () => {
    const text = mutate(sample, [{ kind: 'nest', at: 3, depth: 100_000, shape: 'array' }])
    const value = JSON.parse(text)
    expect(tooDeepAt(value, 99_999)).toBeDefined()
    expect(tooDeepAt(value, 100_002)).toBeUndefined()
  })

  it('a lone surrogate survives the JSON text (escaped), as the Lambda runtime would parse it', () => {
    const text = mutate(sample, [{ kind: 'lone-surrogate', at: 0, char: '\udfff', position: 'end' }])
    expect(text).toContain('\\udfff')
    expect(JSON.stringify(JSON.parse(text))).toContain('\\udfff')
  })

  it('a __proto__ key is an own member of the parsed event, never its prototype', () => {
    const parsed = JSON.parse(mutate(sample, [{ kind: 'proto-key', at: 0, value: { polluted: true } }]))
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
    expect(JSON.stringify(parsed)).toContain('"__proto__":{"polluted":true}')
  })

  it('never edits its shared odd values (they go into events as copies; a later mutation edits the copy)', () => {
    const before = JSON.stringify(ODD_VALUES)
    const inserts: Mutation[] = [
      ...ODD_VALUES.map((to): Mutation => ({ kind: 'retype', at: 0, to })),
      ...ODD_VALUES.map((value): Mutation => ({ kind: 'proto-key', at: 0, value })),
    ]
    // Every field a later edit could pick, so some edit lands inside the inserted value.
    for (const insert of inserts)
      for (let at = 0; at < 120; at++)
        for (const edit of [
          { kind: 'huge-string', at, length: 10 },
          { kind: 'lone-surrogate', at, char: '\ud800', position: 'end' },
          { kind: 'delete', at },
          { kind: 'nest', at, depth: 2, shape: 'array' },
        ] as Mutation[])
          mutate(sample, [insert, edit])
    expect(JSON.stringify(ODD_VALUES)).toBe(before)
  })

  const aim: Aim = {
    account: '399999999999',
    roles: [{ name: 'world-exec', arn: 'arn:aws:iam::399999999999:role/service-role/world-exec' }],
    environments: ['world-env'],
    buckets: ['world-env-dags-399999999999'],
    policyArns: ['arn:aws:iam::399999999999:policy/service-role/world-metrics'],
  }
  const picks = { draw: 0, role: 0, environment: 0, bucket: 0, policy: 0, fresh: 0, id: 255 }

  it('aims an IAM event at the world: its accounts everywhere, its role, its policy ARN, an id of its own', () => {
    const event = readJson(join(SAMPLES, 'iam-attach-role-policy.json'))
    const aimed = aimAt(event, aim, picks)
    const text = JSON.stringify(aimed)
    expect(text).not.toContain('111122223333')
    expect(text).not.toContain('mwaa-demo-execution-role')
    const detail = aimed.detail as Record<string, Record<string, unknown>>
    expect(detail.requestParameters).toMatchObject({ roleName: 'world-exec', policyArn: aim.policyArns[0] })
    expect(detail.eventID).toBe('fuzz-000000ff')
    expect(aimed.id).toBe('fuzz-000000ff')
    expect(JSON.stringify(event)).toContain('111122223333') // the corpus event itself is untouched
  })

  it('aims an MWAA event at an environment and role of the world, a bucket event at its bucket; keeps ids when asked', () => {
    const keep = { ...picks, fresh: 999 }
    const mwaa = aimAt(readJson(join(SAMPLES, 'mwaa-update-environment.json')), aim, keep)
    expect((mwaa.detail as Record<string, Record<string, unknown>>).requestParameters).toEqual({
      Name: 'world-env',
      ExecutionRoleArn: aim.roles[0]!.arn,
    })
    const s3Sample = readJson(join(SAMPLES, 's3-put-bucket-policy.json'))
    const s3 = aimAt(s3Sample, aim, keep)
    expect(JSON.stringify(s3)).toContain('arn:aws:s3:::world-env-dags-399999999999/*')
    expect((s3.detail as Record<string, unknown>).eventID).toBe((s3Sample.detail as Record<string, unknown>).eventID)
  })
})
