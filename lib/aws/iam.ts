/**
 * The IAM adapter: reads a role's full state, finds roles a managed policy is attached to, and makes the four
 * writes heal needs. Build it once per process so the policy-version cache survives between Lambda invocations.
 */
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListEntitiesForPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam'
import type { PolicyDocument } from '../iam/types'
import { readAccountRoles, type AccountRoles } from './iam-bulk-read'
import { isNoSuchEntity, readManaged, readRole, type ManagedPolicy, type ReadRoleResult } from './iam-read-role'
import { PolicyVersionCache } from './policy-version-cache'

export { RoleChangedDuringReadError, type ManagedPolicy, type ReadRoleResult } from './iam-read-role'
export { roleNameFromArn } from './role-arn'
export { PolicyVersionCache } from './policy-version-cache'
export type { AccountRoles } from './iam-bulk-read'

export type IamAdapter = {
  /** The role's state with decoded documents, or `not-found`; throws RoleChangedDuringReadError on a race. */
  readRole(roleName: string): Promise<ReadRoleResult>
  /** Every role of the account in a few paginated calls (the sweep's read), each as readRole would return it. */
  readAccountRoles(): Promise<AccountRoles>
  /** A managed policy at its default version, or null when it no longer exists (e.g. a just-detached one). */
  readManagedPolicy(policyArn: string): Promise<ManagedPolicy | null>
  /** Names of the roles a managed policy is attached to (none when the policy no longer exists). */
  rolesForPolicy(policyArn: string): Promise<string[]>
  attachRolePolicy(roleName: string, policyArn: string): Promise<void>
  putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<void>
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>
  updateAssumeRolePolicy(roleName: string, document: PolicyDocument): Promise<void>
}

export type IamAdapterOptions = {
  versionCache?: PolicyVersionCache
  /** parallel Get* calls per policy kind during a read; IAM's request quota is shared by the whole account */
  concurrency?: number
}

/** Builds the IAM adapter over a client from `createIamClient`. */
export function createIamAdapter(client: IAMClient, options: IamAdapterOptions = {}): IamAdapter {
  const deps = {
    client,
    versions: options.versionCache ?? new PolicyVersionCache(),
    concurrency: options.concurrency ?? 3,
  }
  return {
    readRole: (roleName) => readRole(deps, roleName),
    readAccountRoles: () => readAccountRoles(deps),
    async readManagedPolicy(policyArn) {
      try {
        return await readManaged(deps, policyArn)
      } catch (error) {
        if (isNoSuchEntity(error)) return null
        throw error
      }
    },
    rolesForPolicy: (policyArn) => rolesForPolicy(client, policyArn),
    async attachRolePolicy(roleName, policyArn) {
      await client.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))
    },
    async putRolePolicy(roleName, policyName, document) {
      // The SDK form-encodes the request; IAM takes the document as a JSON string.
      await client.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policyName,
          PolicyDocument: JSON.stringify(document),
        }),
      )
    },
    async deleteRolePolicy(roleName, policyName) {
      await client.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))
    },
    async updateAssumeRolePolicy(roleName, document) {
      await client.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(document) }),
      )
    },
  }
}

async function rolesForPolicy(client: IAMClient, policyArn: string): Promise<string[]> {
  const names: string[] = []
  try {
    // EntityFilter=Role so the pages are not spent on users and groups
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html).
    for await (const page of paginateListEntitiesForPolicy(
      { client },
      { PolicyArn: policyArn, EntityFilter: 'Role' },
    )) {
      for (const role of page.PolicyRoles ?? []) if (role.RoleName) names.push(role.RoleName)
    }
  } catch (error) {
    if (isNoSuchEntity(error)) return []
    throw error
  }
  return names
}
