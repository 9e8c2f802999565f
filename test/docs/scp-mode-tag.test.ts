/** The SCP recipe of docs/scp-mode-tag.md, asked our own evaluator (lib/iam): the document says what the policy does. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compilePolicy, evaluateRequest, type PolicyDocument } from '../../lib/iam'

const SCP = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html'
const text = readFileSync(new URL('../../docs/scp-mode-tag.md', import.meta.url), 'utf8')
const json = /```json\n([\s\S]*?)\n```/.exec(text)?.[1]
const scp = compilePolicy(JSON.parse(json ?? '{}') as PolicyDocument, 'scp', 'identity')
const ADMIN = 'arn:aws:iam::111122223333:role/MwaaRoleGuardAdmin'
const DEV = 'arn:aws:iam::111122223333:role/developer'
const ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonMWAA-prod'

/** Whether the SCP denies the call (an SCP's Allow statements are not part of the recipe). */
const denied = (action: string, principal: string, tagKeys: string[]) =>
  evaluateRequest(
    { identity: [scp] },
    { action, resource: ROLE, context: { 'aws:PrincipalArn': principal, 'aws:TagKeys': tagKeys } },
  ).decision === 'explicitDeny'

describe(`docs/scp-mode-tag.md (${SCP})`, () => {
  it.each<[string, string, string[], boolean]>([
    ['iam:TagRole', DEV, ['mwaa-role-guard:mode'], true],
    ['iam:TagRole', DEV, ['team', 'MWAA-Role-Guard:Mode'], true],
    ['iam:UntagRole', DEV, ['mwaa-role-guard:mode'], true],
    ['iam:CreateRole', DEV, ['mwaa-role-guard:mode'], true],
    ['iam:TagRole', DEV, ['team'], false],
    ['iam:TagRole', ADMIN, ['mwaa-role-guard:mode'], false],
    ['iam:UntagRole', ADMIN, ['mwaa-role-guard:mode'], false],
  ])('%s by %s with keys %j: denied %s', (action, principal, keys, expected) => {
    expect(denied(action, principal, keys)).toBe(expected)
  })
})
