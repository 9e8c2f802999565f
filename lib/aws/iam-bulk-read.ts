/**
 * The whole account's roles in a few calls: GetAccountAuthorizationDetails with Filter Role + LocalManagedPolicy
 * returns every role with its trust policy, inline policies, attached managed policies, boundary and tags, and every
 * customer managed policy with all its versions' documents, in pages of up to 1,000 items
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html). Documents are
 * URL-encoded (RFC 3986) as in the Get* APIs. AWS managed policies are left out of the filter (the account does not
 * own them, and the list is long): their default version comes from GetPolicy and the version cache, once per
 * policy per read.
 *
 * Each role comes out as the same RoleState the per-role read returns (iam-read-role.ts), so the evaluation cannot
 * tell which read fed it.
 */
import { GetAccountAuthorizationDetailsCommand, type ManagedPolicyDetail, type RoleDetail } from '@aws-sdk/client-iam'
import type { RoleState } from '../drift/types'
import type { PolicyDocument } from '../iam/types'
import { isNoSuchEntity, readManaged, type ManagedPolicy, type ReadDeps } from './iam-read-role'
import { decodePolicyDocument, PolicyDocumentError } from './policy-document'

/** One role of the read: its state, absent from the read, or not buildable from it (read it live instead). */
export type BulkRole =
  | { kind: 'found'; role: RoleState }
  | { kind: 'not-listed'; roleName: string }
  | { kind: 'unresolved'; roleName: string; reason: string }

export type AccountRoles = {
  /** roles the read listed */
  readonly size: number
  /** the pages it took */
  readonly pages: number
  /** A role by name (IAM role names are unique case-insensitively); AWS managed policies are read on first use. */
  role(roleName: string): Promise<BulkRole>
}

// The largest page the API allows.
const MAX_ITEMS = 1000

/** Reads every role and customer managed policy of the account (every page); throws what the SDK could not retry. */
export async function readAccountRoles(deps: ReadDeps): Promise<AccountRoles> {
  const roles = new Map<string, RoleDetail>()
  const policies = new Map<string, ManagedPolicyDetail>()
  let marker: string | undefined
  let pages = 0
  do {
    const page = await deps.client.send(
      new GetAccountAuthorizationDetailsCommand({
        Filter: ['Role', 'LocalManagedPolicy'],
        MaxItems: MAX_ITEMS,
        ...(marker ? { Marker: marker } : {}),
      }),
    )
    pages++
    for (const role of page.RoleDetailList ?? []) if (role.RoleName) roles.set(role.RoleName.toLowerCase(), role)
    for (const policy of page.Policies ?? []) if (policy.Arn) policies.set(policy.Arn, policy)
    // "IAM might return fewer results, even when there are more results available": follow IsTruncated, not the count.
    marker = page.IsTruncated ? page.Marker : undefined
  } while (marker)

  // One GetPolicy (+ GetPolicyVersion unless cached) per AWS managed policy, however many roles attach it.
  const awsManaged = new Map<string, Promise<ManagedPolicy | null>>()
  const readAwsManaged = (arn: string) => {
    let read = awsManaged.get(arn)
    if (!read) {
      read = readManaged(deps, arn).catch((error: unknown) => {
        if (isNoSuchEntity(error)) return null
        throw error
      })
      awsManaged.set(arn, read)
    }
    return read
  }

  return {
    size: roles.size,
    pages,
    async role(roleName) {
      const detail = roles.get(roleName.toLowerCase())
      if (!detail) return { kind: 'not-listed', roleName }
      try {
        return { kind: 'found', role: await roleState(detail, policies, readAwsManaged) }
      } catch (error) {
        if (error instanceof UnresolvedError || error instanceof PolicyDocumentError)
          return { kind: 'unresolved', roleName, reason: error.message }
        throw error
      }
    },
  }
}

/** The read cannot say what the role may do (a policy it names is not in the read); a live read can. */
class UnresolvedError extends Error {
  override name = 'UnresolvedError'
}

async function roleState(
  detail: RoleDetail,
  policies: ReadonlyMap<string, ManagedPolicyDetail>,
  readAwsManaged: (arn: string) => Promise<ManagedPolicy | null>,
): Promise<RoleState> {
  const name = detail.RoleName!
  if (!detail.Arn) throw new UnresolvedError(`role ${name}: no Arn in the authorization details`)
  const managed = async (arn: string, listedName: string | undefined): Promise<ManagedPolicy> => {
    const local = policies.get(arn)
    if (local) return defaultVersion(local, listedName)
    // Not a customer managed policy of the account: an AWS managed one (arn:aws:iam::aws:policy/...).
    if (!isAwsManaged(arn)) throw new UnresolvedError(`role ${name}: policy ${arn} is not in the authorization details`)
    const policy = await readAwsManaged(arn)
    if (!policy) throw new UnresolvedError(`role ${name}: AWS managed policy ${arn} no longer exists`)
    return policy
  }
  const boundaryArn = detail.PermissionsBoundary?.PermissionsBoundaryArn
  const [attachedPolicies, boundary] = await Promise.all([
    Promise.all(
      (detail.AttachedManagedPolicies ?? []).filter((p) => p.PolicyArn).map((p) => managed(p.PolicyArn!, p.PolicyName)),
    ),
    boundaryArn ? managed(boundaryArn, undefined) : null,
  ])
  return {
    arn: detail.Arn,
    name,
    trustPolicy: decodePolicyDocument(detail.AssumeRolePolicyDocument, `role ${name} trust policy`),
    inlinePolicies: (detail.RolePolicyList ?? []).map((p) => ({
      name: p.PolicyName ?? '',
      document: decodePolicyDocument(p.PolicyDocument, `role ${name} inline policy ${p.PolicyName}`),
    })),
    attachedPolicies,
    permissionsBoundary: boundary ? { arn: boundary.arn, document: boundary.document } : null,
    tags: Object.fromEntries((detail.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  }
}

/** A customer managed policy at its default version, from the read's own version list. */
function defaultVersion(policy: ManagedPolicyDetail, listedName: string | undefined): ManagedPolicy {
  const arn = policy.Arn!
  const version = policy.PolicyVersionList?.find((v) =>
    policy.DefaultVersionId ? v.VersionId === policy.DefaultVersionId : v.IsDefaultVersion,
  )
  if (!version?.Document) throw new UnresolvedError(`policy ${arn}: no document for its default version`)
  const document: PolicyDocument = decodePolicyDocument(version.Document, `policy ${arn} ${version.VersionId}`)
  // moto leaves PolicyName out of the policy list (real IAM has it); the role's attachment names it too, and the
  // name is the ARN's last part (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
  const name = policy.PolicyName ?? listedName ?? arn.slice(arn.lastIndexOf('/') + 1)
  return { arn, name, versionId: version.VersionId, document }
}

function isAwsManaged(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn)
}
