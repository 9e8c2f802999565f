/**
 * Hostile and unusual events at the parse/targets level (pure, fast): whatever a real CloudTrail event is mutated into,
 * parseEvent, targetsOf, changeOf and expectedEffect never throw, and an event is either ignored with a one-line reason
 * or names targets the shell can use as they are (an IAM role name, an IAM policy ARN, an MWAA environment name).
 * Record contents: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument } from '../../lib/iam/types'
import { changeOf } from '../../lib/events/change'
import { expectedEffect } from '../../lib/events/expected-effect'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import type { Target } from '../../lib/events/targets'
import { targetsOf } from '../../lib/events/targets'
import { describeMutated, mutatedEvents } from '../support/event-mutator'

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html (RoleName)
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html (PolicyArn, 20-2048 characters)
// and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(?:\d{12}|aws):policy\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/
// https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html#mwaa-CreateEnvironment-request-uri-Name
const ENVIRONMENT_NAME = /^[a-zA-Z][0-9a-zA-Z_-]{0,79}$/

/** A target the shell may pass to IAM or MWAA as it is. */
function usable(target: Target): boolean {
  switch (target.kind) {
    case 'role':
    case 'role-deleted':
      return ROLE_NAME.test(target.roleName)
    case 'policy':
      return POLICY_ARN.test(target.policyArn) && target.policyArn.length <= 2048
    case 'environment':
    case 'environment-deleted':
      return ENVIRONMENT_NAME.test(target.name)
    case 'bucket':
      return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(target.bucket)
    case 'kms-key':
      return /^(?:mrk-)?[A-Za-z0-9-]{1,64}$/.test(target.keyId)
    case 'vpc-endpoint':
      return /^vpce-[0-9a-f]{8,17}$/.test(target.endpointId)
    case 'organization':
      return target.policyId === undefined || /^p-[0-9a-zA-Z_]{8,128}$/.test(target.policyId)
  }
}

/** A live role the event's own names point at, so the consistency check compares real documents. */
function roleFor(event: ParsedEvent): RoleState {
  const request = event.request as Record<string, unknown>
  const text = (key: string) => (typeof request[key] === 'string' ? (request[key] as string) : undefined)
  const document: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  }
  const policyArn = text('policyArn') ?? 'arn:aws:iam::111122223333:policy/p'
  return {
    arn: 'arn:aws:iam::111122223333:role/r',
    name: text('roleName') ?? 'r',
    trustPolicy: document,
    inlinePolicies: [{ name: text('policyName') ?? 'p', document }],
    attachedPolicies: [{ arn: policyArn, name: 'p', versionId: 'v1', document }],
    permissionsBoundary: null,
    tags: {},
  }
}

// FC_RUNS=20000 for a longer run (about 6 ms a run on a 2-core VM).
const RUNS = Number(process.env.FC_RUNS ?? 400)

describe('mutated real events at the parse/targets level (fast-check)', () => {
  it('never throw; ignored with a one-line reason, or every target usable as it is', {
    timeout: 20_000 + RUNS * 20,
  }, () => {
    // Plain checks in the loop (vitest's expect keeps state per call); any failure names the mutations.
    fc.assert(
      fc.property(mutatedEvents(), (m) => {
        const fail = (problem: string) => {
          throw new Error(`${describeMutated(m)}: ${problem}`)
        }
        const raw: unknown = JSON.parse(m.text)
        let parsed: ReturnType<typeof parseEvent>
        try {
          parsed = parseEvent(raw)
        } catch (error) {
          return fail(`parseEvent threw ${String(error).slice(0, 300)}`)
        }
        if (isIgnored(parsed)) {
          if (!/^[^\n\r\u2028\u2029]{1,400}$/.test(parsed.reason)) fail(`reason not one short line: ${parsed.reason}`)
          return
        }
        let targets: Target[]
        let change: ReturnType<typeof changeOf>
        try {
          targets = targetsOf(parsed)
          change = changeOf(parsed)
          expectedEffect(parsed)?.(roleFor(parsed))
        } catch (error) {
          return fail(`threw ${String(error).slice(0, 300)}`)
        }
        for (const target of targets)
          if (!usable(target)) fail(`unusable target ${JSON.stringify(target).slice(0, 300)}`)
        if (change.eventName !== parsed.name) fail('changeOf names another call')
      }),
      { numRuns: RUNS },
    )
  })
})
