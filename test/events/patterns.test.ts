import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { IAM_EVENT_NAMES, MWAA_EVENT_NAMES } from '../../lib/events/event-names'
import { compilePattern, matchesPattern as matchesPatternIn } from '../../lib/events/pattern-match'
import { corpusEvent, loadCorpus, readJson, SAMPLES, withDetail } from './corpus'

// Pattern for CloudTrail API calls: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
// errorCode marks a failed call: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
const OPERATORS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html'
const EVENTS_DIR = join(import.meta.dirname, '..', '..', 'events')
const iamFile = readJson(join(EVENTS_DIR, 'iam-role-changes.pattern.json'))
const mwaaFile = readJson(join(EVENTS_DIR, 'mwaa-environment-changes.pattern.json'))
// Both files filter on the account with a CloudFormation intrinsic, { "Ref": "AWS::AccountId" }, which the stack
// resolves to the deployment's account (intrinsics work inside EventPattern:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html).
const ACCOUNT_REF = JSON.stringify({ Ref: 'AWS::AccountId' })
/** The pattern as deployed in `account`. */
const deployedIn = (pattern: Record<string, unknown>, account: string): Record<string, unknown> =>
  JSON.parse(JSON.stringify(pattern).replaceAll(ACCOUNT_REF, JSON.stringify(account)))
/** A pattern object whose matching deploys it in the event's own account, unless told another one. */
const deployed = (pattern: Record<string, unknown>) => ({
  pattern,
  in: (account: string) => deployedIn(pattern, account),
})
const iam = deployed(iamFile)
const mwaa = deployed(mwaaFile)
const accountOf = (event: unknown) => String((event as { account?: unknown }).account)
const matchesPattern = (p: ReturnType<typeof deployed>, event: unknown) =>
  matchesPatternIn(p.in(accountOf(event)), event)

describe('pattern files', () => {
  it.each([
    ['iam-role-changes', iamFile, IAM_EVENT_NAMES],
    ['mwaa-environment-changes', mwaaFile, MWAA_EVENT_NAMES],
  ] as const)('%s is a valid pattern listing exactly the calls the parser handles', (_name, file, names) => {
    const pattern = deployedIn(file, '111122223333')
    expect(() => compilePattern(pattern)).not.toThrow()
    expect(file.account).toEqual([{ Ref: 'AWS::AccountId' }])
    expect(pattern.account).toEqual(['111122223333'])
    const detail = pattern.detail as { eventName: string[]; errorCode: unknown }
    expect([...detail.eventName].sort()).toEqual([...names].sort())
    // the boolean must stay a boolean once serverless.yml loads the file (a string "false" is rejected by EventBridge)
    expect(detail.errorCode).toEqual([{ exists: false }])
  })
})

// file -> [matched by the IAM pattern, matched by the MWAA pattern]
const expected: Record<string, [boolean, boolean]> = {
  'iam-AttachRolePolicy-project-1.json': [true, false],
  'iam-AttachRolePolicy-invictus-1.json': [true, false],
  'iam-AttachRolePolicy-invictus-2.json': [true, false],
  'iam-AttachRolePolicy-invictus-3.json': [true, false],
  'iam-AttachRolePolicy-pantherSynthetic-1.json': [true, false],
  'iam-AttachRolePolicy-pantherSynthetic-2.json': [false, false], // errorCode NoSuchEntity
  'iam-AttachRolePolicy-stratus-1.json': [true, false],
  'iam-CreateRole-project-1.json': [false, false], // CreateRole is not watched
  'iam-CreateRole-invictus-1.json': [false, false],
  'iam-CreateRole-invictus-2.json': [false, false],
  'iam-CreateRole-stratus-1.json': [false, false],
  'iam-DeleteRole-invictus-1.json': [true, false],
  'iam-DeleteRole-invictus-2.json': [true, false],
  'iam-DeleteRolePolicy-invictus-1.json': [true, false],
  'iam-DeleteRolePolicy-invictus-2.json': [true, false],
  'iam-DetachRolePolicy-invictus-1.json': [true, false],
  'iam-DetachRolePolicy-invictus-2.json': [true, false],
  'iam-PutRolePolicy-invictus-1.json': [true, false],
  'iam-PutRolePolicy-invictus-2.json': [true, false],
  'iam-PutRolePolicy-invictus-3.json': [true, false],
  'iam-TagRole-iambic-1.json': [true, false], // the corpus's one real EventBridge envelope
  'iam-UpdateAssumeRolePolicy-project-1.json': [true, false],
  'iam-UpdateAssumeRolePolicy-invictus-1.json': [true, false],
  'iam-UpdateAssumeRolePolicy-invictus-2.json': [true, false],
  // matched: the pattern does not look at requestParameters; the parser then ignores it (no roleName)
  'iam-UpdateAssumeRolePolicy-pantherSynthetic-1.json': [true, false],
  'iam-UpdateAssumeRolePolicy-pantherSynthetic-2.json': [true, false],
  'iam-UpdateAssumeRolePolicy-stratus-1.json': [true, false],
  'mwaa-CreateEnvironment-project-1.json': [false, false], // errorCode AccessDenied
}

describe('corpus records against the patterns', () => {
  const corpus = loadCorpus()

  it('has an expectation for every fixture', () => {
    expect(corpus.map((r) => r.file).sort()).toEqual(Object.keys(expected).sort())
  })

  it.each(corpus.map((r) => [r.file, r.event] as const))('%s', (file, event) => {
    const [byIam, byMwaa] = expected[file] ?? [undefined, undefined]
    expect(matchesPattern(iam, event)).toBe(byIam)
    expect(matchesPattern(mwaa, event)).toBe(byMwaa)
  })

  it('matches a successful copy of the failed MWAA CreateEnvironment', () => {
    const failed = corpusEvent('mwaa-CreateEnvironment-project-1.json')
    const succeeded = withDetail(failed, (d) => {
      delete d.errorCode
      d.responseElements = { Arn: 'arn:aws:airflow:eu-west-1:742180356914:environment/analytics-dev' }
    })
    expect(matchesPattern(mwaa, failed)).toBe(false)
    expect(matchesPattern(mwaa, succeeded)).toBe(true)
    expect(matchesPattern(iam, succeeded)).toBe(false)
  })

  it('does not match a successful IAM call once it carries an errorCode', () => {
    const event = withDetail(corpusEvent('iam-DetachRolePolicy-invictus-1.json'), (d) => {
      d.errorCode = 'NoSuchEntityException'
    })
    expect(matchesPattern(iam, event)).toBe(false)
  })

  // "exists" tests for the field, not for a value: an empty string is a value (eb-create-pattern-operators.html,
  // eb-event-patterns-null-values.html), so EventBridge never delivers these; a direct invoke or a replay can,
  // and parseEvent ignores them as malformed.
  it.each([[''], ['  '], [null]])(`does not match a call whose errorCode is %j (${OPERATORS})`, (errorCode) => {
    const event = withDetail(corpusEvent('iam-DetachRolePolicy-invictus-1.json'), (d) => {
      d.errorCode = errorCode
    })
    expect(matchesPattern(iam, event)).toBe(false)
  })

  it('reads arrays nested 100,000 deep in an event without a RangeError', () => {
    const event = withDetail(corpusEvent('iam-DetachRolePolicy-invictus-1.json'), (d) => {
      d.eventName = JSON.parse(`${'['.repeat(100_000)}"DetachRolePolicy"${']'.repeat(100_000)}`)
    })
    expect(() => matchesPattern(iam, event)).not.toThrow()
  })

  it('does not match an IAM call of the same name from another service', () => {
    const event = { ...corpusEvent('iam-PutRolePolicy-invictus-1.json'), source: 'aws.sts' }
    expect(matchesPattern(iam, event)).toBe(false)
  })

  it.each([
    ['iam-PutRolePolicy-invictus-1.json', iam],
    ['iam-TagRole-iambic-1.json', iam],
  ] as const)('%s: the rule of a stack in another account does not match it (account filter)', (file, pattern) => {
    const event = corpusEvent(file)
    expect(matchesPatternIn(pattern.in(accountOf(event)), event)).toBe(true)
    expect(matchesPatternIn(pattern.in('999999999999'), event)).toBe(false)
  })
})

describe("an optional refinement: dropping the remediator's own calls in the rule", () => {
  // A value list is ORed, so "not our role, or no session issuer at all" keeps IAM users and other roles;
  // anything-but alone would drop every event without sessionContext (it needs the field to be present).
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
  const ownRole = 'arn:aws:iam::1234567890012:role/NoqSpoke'
  const refined = deployed(structuredClone(iamFile)) as ReturnType<typeof deployed> & {
    pattern: { detail: Record<string, unknown> }
  }
  refined.pattern.detail.userIdentity = {
    sessionContext: { sessionIssuer: { arn: [{ 'anything-but': ownRole }, { exists: false }] } },
  }
  const naive = deployed(structuredClone(iamFile)) as ReturnType<typeof deployed> & {
    pattern: { detail: Record<string, unknown> }
  }
  naive.pattern.detail.userIdentity = { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': ownRole }] } } }

  it.each([
    ['a session of our own role', 'iam-TagRole-iambic-1.json', false, false],
    ['an IAM user (no sessionContext)', 'iam-AttachRolePolicy-invictus-1.json', true, false],
    ['another role', 'iam-AttachRolePolicy-pantherSynthetic-1.json', true, true],
  ] as const)('%s (%s)', (_name, file, byRefined, byNaive) => {
    expect(matchesPattern(refined, corpusEvent(file))).toBe(byRefined)
    expect(matchesPattern(naive, corpusEvent(file))).toBe(byNaive)
  })
})

describe('sample events against the patterns', () => {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json'))

  it.each(files)('%s is matched by its own pattern only', (file) => {
    const event = readJson(join(SAMPLES, file))
    expect(matchesPattern(iam, event)).toBe(file.startsWith('iam-'))
    expect(matchesPattern(mwaa, event)).toBe(file.startsWith('mwaa-'))
  })
})
