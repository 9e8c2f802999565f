/**
 * `aws iam get-account-authorization-details` output -> the RoleState of one role.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * Documents may be objects, JSON strings or URL-encoded JSON strings; managed policies use their default version.
 */
import * as z from 'zod'
import { decodePolicyDocument, PolicyDocumentError } from '../aws/policy-document'
import { InputError, parseWith } from '../input-error'
import { compilePolicy, PolicyParseError } from '../iam'
import type { PolicyDocument, PolicyKind } from '../iam/types'
import type { RoleState } from '../drift/types'

const documentField = z.union([z.string(), z.record(z.string(), z.unknown())])

const schema = z.object({
  RoleDetailList: z.array(
    z.object({
      RoleName: z.string(),
      Arn: z.string(),
      AssumeRolePolicyDocument: documentField,
      RolePolicyList: z.array(z.object({ PolicyName: z.string(), PolicyDocument: documentField })).optional(),
      AttachedManagedPolicies: z.array(z.object({ PolicyName: z.string(), PolicyArn: z.string() })).optional(),
      PermissionsBoundary: z.object({ PermissionsBoundaryArn: z.string() }).optional(),
      Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
    }),
  ),
  Policies: z
    .array(
      z.object({
        PolicyName: z.string(),
        Arn: z.string(),
        DefaultVersionId: z.string().optional(),
        PolicyVersionList: z.array(
          z.object({ Document: documentField.optional(), VersionId: z.string(), IsDefaultVersion: z.boolean() }),
        ),
      }),
    )
    .optional(),
})

type Details = z.infer<typeof schema>

/** Finds the role by ARN in an authorization-details file and resolves every policy document it uses. */
export function roleFromAuthorizationDetails(raw: unknown, roleArn: string, source: string): RoleState {
  const details = parseWith(schema, raw, source)
  const index = details.RoleDetailList.findIndex((r) => r.Arn === roleArn)
  const role = details.RoleDetailList[index]
  if (!role) {
    throw new InputError(source, 'RoleDetailList', `no role with Arn ${roleArn} (the environment's ExecutionRoleArn)`)
  }
  const at = `RoleDetailList[${index}]`
  // Decoded and validated here, so a document the evaluator would reject is named by its field in the file.
  const decode = (value: unknown, field: string, kind: PolicyKind = 'identity'): PolicyDocument => {
    try {
      const document = decodePolicyDocument(value, field)
      compilePolicy(document, field, kind)
      return document
    } catch (error) {
      if (error instanceof PolicyDocumentError)
        throw new InputError(source, field, error.message.slice(field.length + 2), { cause: error })
      if (error instanceof PolicyParseError) {
        const problem = error.path ? error.message.slice(error.path.length + 2) : error.message
        throw new InputError(source, [field, error.path].filter(Boolean).join('.'), problem, { cause: error })
      }
      throw error
    }
  }
  return {
    arn: role.Arn,
    name: role.RoleName,
    trustPolicy: decode(role.AssumeRolePolicyDocument, `${at}.AssumeRolePolicyDocument`, 'resource'),
    inlinePolicies: (role.RolePolicyList ?? []).map((p, i) => ({
      name: p.PolicyName,
      document: decode(p.PolicyDocument, `${at}.RolePolicyList[${i}].PolicyDocument`),
    })),
    attachedPolicies: (role.AttachedManagedPolicies ?? []).map((p) => {
      const policy = defaultVersion(details, p.PolicyArn, source, role.RoleName)
      return {
        arn: p.PolicyArn,
        name: p.PolicyName,
        versionId: policy.versionId,
        document: decode(policy.document, policy.field),
      }
    }),
    permissionsBoundary: role.PermissionsBoundary
      ? (() => {
          const arn = role.PermissionsBoundary.PermissionsBoundaryArn
          const policy = defaultVersion(details, arn, source, role.RoleName)
          return { arn, document: decode(policy.document, policy.field, 'boundary') }
        })()
      : null,
    tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key, t.Value])),
  }
}

function defaultVersion(details: Details, arn: string, source: string, roleName: string) {
  const policies = details.Policies ?? []
  const index = policies.findIndex((p) => p.Arn === arn)
  const policy = policies[index]
  if (!policy) {
    throw new InputError(
      source,
      'Policies',
      `no entry for ${arn}, used by role ${roleName} (run get-account-authorization-details without --filter, or with LocalManagedPolicy and AWSManagedPolicy)`,
    )
  }
  const v = policy.PolicyVersionList.findIndex((version) =>
    policy.DefaultVersionId ? version.VersionId === policy.DefaultVersionId : version.IsDefaultVersion,
  )
  const version = policy.PolicyVersionList[v]
  if (!version?.Document) {
    throw new InputError(
      source,
      `Policies[${index}].PolicyVersionList`,
      `no document for the default version of ${arn}`,
    )
  }
  return {
    versionId: version.VersionId,
    document: version.Document,
    field: `Policies[${index}].PolicyVersionList[${v}].Document`,
  }
}
