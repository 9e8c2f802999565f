/**
 * The forwarder stack (forwarder.yml), packaged offline for eu-west-1: one rule whose pattern is the union of the
 * main stack's regional patterns, targeting us-east-1's default bus through a role that may put events there and
 * nowhere else, assumable only by this account's rule. Its role policy is asked of our evaluator.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compilePolicy, evaluateRequest, evaluateResourcePolicy, type PolicyDocument } from '../../lib/iam'
import { EC2_EVENT_NAMES, KMS_EVENT_NAMES, MWAA_EVENT_NAMES, S3_EVENT_NAMES } from '../../lib/events/event-names'
import { matchesPattern } from '../../lib/events/pattern-match'
import { loadCorpus } from '../events/corpus'
import { oslsUnavailable, packageStack, ROOT, type PackagedStack } from './package-stack'
import { concrete } from './remediator-policy'

const unavailable = oslsUnavailable()
const hasCfnLint = spawnSync('cfn-lint', ['--version']).status === 0
const ACCOUNT = '111122223333'
const DOC = {
  crossRegion: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html',
  evaluation: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  confusedDeputy: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
}
const pattern = (file: string) => JSON.parse(readFileSync(join(ROOT, 'events', file), 'utf8')) as Record<string, any>

describe.skipIf(unavailable !== undefined)('forwarder stack, packaged for eu-west-1', () => {
  let stack: PackagedStack
  beforeAll(async () => {
    stack = await packageStack(['--config', 'forwarder.yml', '--region', 'eu-west-1'])
  }, 240_000)
  afterAll(() => stack && rmSync(stack.dir, { recursive: true, force: true }))

  const resource = (name: string) => stack.template.Resources[name]!.Properties as Record<string, any>
  const refs = () => ({
    'AWS::Partition': 'aws',
    'AWS::Region': 'eu-west-1',
    'AWS::AccountId': ACCOUNT,
    TargetRegion: String(stack.template.Parameters?.TargetRegion?.Default),
    'ForwarderRole.Arn': `arn:aws:iam::${ACCOUNT}:role/forwarder`,
  })

  it('forwards exactly the MWAA, S3, KMS and EC2 calls the stack watches, failed calls excepted', () => {
    const rule = resource('ForwardRule')
    expect(rule.EventPattern).toEqual(pattern('forwarded-changes.pattern.json'))
    const mwaa = pattern('mwaa-environment-changes.pattern.json')
    const resources = pattern('resource-policy-changes.pattern.json')
    expect([...rule.EventPattern.source].sort()).toEqual([...mwaa.source, ...resources.source].sort())
    expect([...rule.EventPattern.detail.eventName].sort()).toEqual(
      [...MWAA_EVENT_NAMES, ...S3_EVENT_NAMES, ...KMS_EVENT_NAMES, ...EC2_EVENT_NAMES].sort(),
    )
    expect(rule.EventPattern.detail.errorCode).toEqual([{ exists: false }])
    // every corpus record the two regional patterns match, the forwarder matches, and no other
    const deployed = (p: Record<string, unknown>, account: string) =>
      JSON.parse(JSON.stringify(p).replaceAll(JSON.stringify({ Ref: 'AWS::AccountId' }), JSON.stringify(account)))
    for (const { file, event } of loadCorpus()) {
      const account = String(event.account)
      const regional =
        matchesPattern(deployed(mwaa, account), event) || matchesPattern(deployed(resources, account), event)
      expect(matchesPattern(deployed(rule.EventPattern, account), event), file).toBe(regional)
    }
  })

  it(`targets us-east-1's default bus with the forwarder role (${DOC.crossRegion})`, () => {
    expect(stack.template.Parameters?.TargetRegion?.Default).toBe('us-east-1')
    const [target] = resource('ForwardRule').Targets as Array<Record<string, unknown>>
    expect(concrete(target!.Arn, refs())).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`)
    expect(target!.RoleArn).toEqual({ 'Fn::GetAtt': ['ForwarderRole', 'Arn'] })
  })

  it(`the role may put events on that bus only (${DOC.evaluation})`, () => {
    const [policy] = resource('ForwarderRole').Policies as Array<{ PolicyDocument: unknown }>
    const compiled = compilePolicy(concrete(policy!.PolicyDocument, refs()) as PolicyDocument, 'forwarder', 'identity')
    const decide = (action: string, resourceArn: string) =>
      evaluateRequest({ identity: [compiled] }, { action, resource: resourceArn }).decision
    expect(decide('events:PutEvents', `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`)).toBe('allowed')
    expect(decide('events:PutEvents', `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`)).toBe('implicitDeny')
    expect(decide('events:PutEvents', `arn:aws:events:us-east-1:999999999999:event-bus/default`)).toBe('implicitDeny')
    expect(decide('events:PutRule', `arn:aws:events:us-east-1:${ACCOUNT}:rule/x`)).toBe('implicitDeny')
  })

  it(`only this account's forwarding rule can assume it (${DOC.confusedDeputy})`, () => {
    const trust = compilePolicy(
      concrete(resource('ForwarderRole').AssumeRolePolicyDocument, refs()) as PolicyDocument,
      'trust',
      'resource',
    )
    const assume = (sourceArn: string, sourceAccount: string) =>
      evaluateResourcePolicy(trust, {
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/forwarder`,
        principal: { type: 'Service', id: 'events.amazonaws.com' },
        context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
      }).decision
    const rule = `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${String(resource('ForwardRule').Name)}`
    expect(assume(rule, ACCOUNT)).toBe('allowed')
    expect(assume(`arn:aws:events:eu-west-1:${ACCOUNT}:rule/other`, ACCOUNT)).toBe('implicitDeny')
    expect(assume(rule.replace(ACCOUNT, '999999999999'), '999999999999')).toBe('implicitDeny')
  })

  it('creates nothing when deployed in the target region itself (its rule would feed the bus back to itself)', () => {
    const conditions = stack.template.Conditions as Record<string, unknown>
    expect(conditions.NotInTheTargetRegion).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'TargetRegion' }] }],
    })
    expect(stack.template.Resources.ForwardRule!.Condition).toBe('NotInTheTargetRegion')
    expect(stack.template.Resources.ForwarderRole!.Condition).toBe('NotInTheTargetRegion')
  })

  it.skipIf(!hasCfnLint)('passes cfn-lint', () => {
    const run = spawnSync('cfn-lint', [stack.templatePath], { encoding: 'utf8' })
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('')
    expect(run.status).toBe(0)
  })
})
