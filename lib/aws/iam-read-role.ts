/**
 * Reads everything that decides what a role may do, with every policy document decoded (IAM's Get* APIs return
 * them URL-encoded, https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
 *
 * Calls: GetRole, ListRolePolicies + GetRolePolicy per inline policy, ListAttachedRolePolicies + GetPolicy per
 * managed policy (and the boundary) + GetPolicyVersion unless the version is cached. Cold, 2 inline + 2 managed,
 * no boundary: 9 calls; warm: 7.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam'
import type { PolicyDocument } from '../iam/types'
import type { RoleState } from '../drift/types'
import { decodePolicyDocument } from './policy-document'
import type { PolicyVersionCache } from './policy-version-cache'
import { mapWithConcurrency } from './concurrency'

export type ReadRoleResult = { kind: 'found'; role: RoleState } | { kind: 'not-found'; roleName: string }

/** The role or one of its policies changed while we read it; a fresh read will see a consistent state. */
export class RoleChangedDuringReadError extends Error {
  override name = 'RoleChangedDuringReadError'
  readonly retryable = true
  constructor(
    readonly roleName: string,
    options: { cause: unknown },
  ) {
    super(`role ${roleName} changed while it was being read (${messageOf(options.cause)}); read it again`, options)
  }
}

/** True for IAM's NoSuchEntity error (the SDK names the class NoSuchEntityException, the wire code is NoSuchEntity). */
export function isNoSuchEntity(error: unknown): boolean {
  const e = error as { name?: string; Code?: string } | null
  return e?.name === 'NoSuchEntityException' || e?.name === 'NoSuchEntity' || e?.Code === 'NoSuchEntity'
}

export type ReadDeps = { client: IAMClient; versions: PolicyVersionCache; concurrency: number }
export type ManagedPolicy = { arn: string; name: string; versionId?: string; document: PolicyDocument }

/** Reads a role's trust policy, inline and attached policies, boundary and tags; a missing role is data. */
export async function readRole(deps: ReadDeps, roleName: string): Promise<ReadRoleResult> {
  let role: Role | undefined
  try {
    role = (await deps.client.send(new GetRoleCommand({ RoleName: roleName }))).Role
  } catch (error) {
    // Roles get deleted (together with their environment): that is an outcome, not a failure.
    if (isNoSuchEntity(error)) return { kind: 'not-found', roleName }
    throw error
  }
  if (!role?.Arn || !role.RoleName) throw new Error(`GetRole ${roleName} returned no role`)

  try {
    const [inlineNames, attached] = await Promise.all([listInlineNames(deps, roleName), listAttached(deps, roleName)])
    const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn
    const [inlinePolicies, attachedPolicies, boundary] = await Promise.all([
      mapWithConcurrency(inlineNames, deps.concurrency, (name) => readInline(deps, roleName, name)),
      mapWithConcurrency(attached, deps.concurrency, (p) => readManaged(deps, p.arn)),
      boundaryArn ? readManaged(deps, boundaryArn) : null,
    ])
    return {
      kind: 'found',
      role: {
        arn: role.Arn,
        name: role.RoleName,
        trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument, `role ${roleName} trust policy`),
        inlinePolicies,
        attachedPolicies,
        permissionsBoundary: boundary ? { arn: boundary.arn, document: boundary.document } : null,
        tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      },
    }
  } catch (error) {
    // GetRole succeeded, so a NoSuchEntity now means the role or a policy went away between our calls.
    if (isNoSuchEntity(error)) throw new RoleChangedDuringReadError(roleName, { cause: error })
    throw error
  }
}

async function listInlineNames({ client }: ReadDeps, roleName: string): Promise<string[]> {
  const names: string[] = []
  for await (const page of paginateListRolePolicies({ client }, { RoleName: roleName }))
    names.push(...(page.PolicyNames ?? []))
  return names
}

async function listAttached({ client }: ReadDeps, roleName: string): Promise<Array<{ arn: string }>> {
  const out: Array<{ arn: string }> = []
  for await (const page of paginateListAttachedRolePolicies({ client }, { RoleName: roleName })) {
    for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) out.push({ arn: p.PolicyArn })
  }
  return out
}

async function readInline({ client }: ReadDeps, roleName: string, name: string) {
  const out = await client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))
  return { name, document: decodePolicyDocument(out.PolicyDocument, `role ${roleName} inline policy ${name}`) }
}

/** A managed policy's default version (GetPolicy, then GetPolicyVersion unless that version is cached). */
export async function readManaged({ client, versions }: ReadDeps, policyArn: string): Promise<ManagedPolicy> {
  const { Policy: policy } = await client.send(new GetPolicyCommand({ PolicyArn: policyArn }))
  if (!policy?.DefaultVersionId || !policy.PolicyId)
    throw new Error(`GetPolicy ${policyArn} returned no default version`)
  const key = { policyArn, policyId: policy.PolicyId, versionId: policy.DefaultVersionId }
  let document = versions.get(key)
  if (!document) {
    const out = await client.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: key.versionId }))
    document = decodePolicyDocument(out.PolicyVersion?.Document, `policy ${policyArn} ${key.versionId}`)
    versions.set(key, document)
  }
  return { arn: policyArn, name: policy.PolicyName ?? policyArn, versionId: key.versionId, document }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
