import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  EC2_EVENT_NAMES,
  IAM_EVENT_NAMES,
  KMS_EVENT_NAMES,
  MWAA_EVENT_NAMES,
  ORGANIZATIONS_EVENT_NAMES,
  S3_EVENT_NAMES,
} from '../../lib/events/event-names'
import { compilePattern, matchesPattern as matchesPatternIn } from '../../lib/events/pattern-match'
import { corpusEvent, loadCorpus, readJson, SAMPLES, withDetail } from './corpus'

// Pattern for CloudTrail API calls: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
// errorCode marks a failed call: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
const OPERATORS = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html'
const EVENTS_DIR = join(import.meta.dirname, '..', '..', 'events')
const iamFile = readJson(join(EVENTS_DIR, 'iam-role-changes.pattern.json'))
const mwaaFile = readJson(join(EVENTS_DIR, 'mwaa-environment-changes.pattern.json'))
const resourcesFile = readJson(join(EVENTS_DIR, 'resource-policy-changes.pattern.json'))
const organizationsFile = readJson(join(EVENTS_DIR, 'organization-policy-changes.pattern.json'))
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
const resources = deployed(resourcesFile)
const organizations = deployed(organizationsFile)
const PATTERNS = { iam, mwaa, resources, organizations } as const
type PatternName = keyof typeof PATTERNS
const accountOf = (event: unknown) => String((event as { account?: unknown }).account)
const matchesPattern = (p: ReturnType<typeof deployed>, event: unknown) =>
  matchesPatternIn(p.in(accountOf(event)), event)

describe('pattern files', () => {
  it.each([
    ['iam-role-changes', iamFile, IAM_EVENT_NAMES],
    ['mwaa-environment-changes', mwaaFile, MWAA_EVENT_NAMES],
    ['resource-policy-changes', resourcesFile, [...S3_EVENT_NAMES, ...KMS_EVENT_NAMES, ...EC2_EVENT_NAMES]],
    ['organization-policy-changes', organizationsFile, ORGANIZATIONS_EVENT_NAMES],
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

// file -> the one pattern that matches it (null: none)
const expected: Record<string, PatternName | null> = {
  'iam-AttachRolePolicy-project-1.json': 'iam',
  'iam-AttachRolePolicy-invictus-1.json': 'iam',
  'iam-AttachRolePolicy-invictus-2.json': 'iam',
  'iam-AttachRolePolicy-invictus-3.json': 'iam',
  'iam-AttachRolePolicy-pantherSynthetic-1.json': 'iam',
  'iam-AttachRolePolicy-pantherSynthetic-2.json': null, // errorCode NoSuchEntity
  'iam-AttachRolePolicy-stratus-1.json': 'iam',
  'iam-CreateRole-project-1.json': null, // CreateRole is not watched
  'iam-CreateRole-invictus-1.json': null,
  'iam-CreateRole-invictus-2.json': null,
  'iam-CreateRole-stratus-1.json': null,
  'iam-DeleteRole-invictus-1.json': 'iam',
  'iam-DeleteRole-invictus-2.json': 'iam',
  'iam-DeleteRolePolicy-invictus-1.json': 'iam',
  'iam-DeleteRolePolicy-invictus-2.json': 'iam',
  'iam-DetachRolePolicy-invictus-1.json': 'iam',
  'iam-DetachRolePolicy-invictus-2.json': 'iam',
  'iam-PutRolePolicy-invictus-1.json': 'iam',
  'iam-PutRolePolicy-invictus-2.json': 'iam',
  'iam-PutRolePolicy-invictus-3.json': 'iam',
  'iam-TagRole-iambic-1.json': 'iam', // the corpus's one real EventBridge envelope
  'iam-UpdateAssumeRolePolicy-project-1.json': 'iam',
  'iam-UpdateAssumeRolePolicy-invictus-1.json': 'iam',
  'iam-UpdateAssumeRolePolicy-invictus-2.json': 'iam',
  // matched: the pattern does not look at requestParameters; the parser then ignores it (no roleName)
  'iam-UpdateAssumeRolePolicy-pantherSynthetic-1.json': 'iam',
  'iam-UpdateAssumeRolePolicy-pantherSynthetic-2.json': 'iam',
  'iam-UpdateAssumeRolePolicy-stratus-1.json': 'iam',
  'mwaa-CreateEnvironment-project-1.json': null, // errorCode AccessDenied
  's3-PutBucketPolicy-invictus-1.json': 'resources',
  's3-PutBucketPolicy-invictus-2.json': 'resources',
  's3-PutBucketPolicy-invictus-3.json': 'resources',
  's3-DeleteBucketPolicy-invictus-1.json': 'resources',
  'kms-PutKeyPolicy-project-1.json': 'resources',
  'kms-DisableKey-project-1.json': 'resources',
  'kms-ScheduleKeyDeletion-project-1.json': 'resources',
  'kms-EnableKey-project-1.json': 'resources',
  'kms-CancelKeyDeletion-project-1.json': 'resources',
  'ec2-ModifyVpcEndpoint-project-1.json': 'resources',
  'ec2-ModifyVpcEndpoint-project-2.json': null, // errorCode Client.UnauthorizedOperation
  'organizations-AttachPolicy-project-1.json': 'organizations',
  'organizations-AttachPolicy-project-2.json': null, // errorCode PolicyTypeNotEnabledException
  'organizations-DetachPolicy-project-1.json': 'organizations',
  'organizations-UpdatePolicy-project-1.json': 'organizations',
  'organizations-DisablePolicyType-project-1.json': 'organizations',
}

describe('corpus records against the patterns', () => {
  const corpus = loadCorpus()

  it('has an expectation for every fixture', () => {
    expect(corpus.map((r) => r.file).sort()).toEqual(Object.keys(expected).sort())
  })

  it.each(corpus.map((r) => [r.file, r.event] as const))('%s', (file, event) => {
    const matched = Object.entries(PATTERNS).filter(([, p]) => matchesPattern(p, event))
    expect(matched.map(([name]) => name)).toEqual(expected[file] ? [expected[file]] : [])
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

  const own = (file: string): PatternName =>
    file.startsWith('iam-')
      ? 'iam'
      : file.startsWith('mwaa-')
        ? 'mwaa'
        : file.startsWith('organizations-')
          ? 'organizations'
          : 'resources'
  it.each(files)('%s is matched by its own pattern only', (file) => {
    const event = readJson(join(SAMPLES, file))
    const matched = Object.entries(PATTERNS).filter(([, p]) => matchesPattern(p, event))
    expect(matched.map(([name]) => name)).toEqual([own(file)])
  })
})
