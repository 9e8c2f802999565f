/**
 * `aws iam get-account-authorization-details` output -> the RoleState of one role.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * Documents may be objects, JSON strings or URL-encoded JSON strings; managed policies use their default version.
 * Only what the check needs is required, and only of the role checked and the managed policies it uses: other tools
 * write this file too (moto's omits PolicyName and PolicyId on managed policies; a policy's name is the last part of
 * its ARN, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns), and an odd
 * entry for another role is none of this check's business.
 */
import * as z from 'zod'
import { decodePolicyDocument, PolicyDocumentError } from '../aws/policy-document'
import { formatPath, InputError, parseWith } from '../input-error'
import { compilePolicy, PolicyParseError } from '../iam'
import type { PolicyDocument, PolicyKind } from '../iam/types'
import type { RoleState } from '../drift/types'

const documentField = z.union([z.string(), z.record(z.string(), z.unknown())])

const fileSchema = z.object({
  RoleDetailList: z.array(z.unknown()),
  Policies: z.array(z.unknown()).optional(),
})

const roleSchema = z.object({
  Arn: z.string(),
  RoleName: z.string().optional(),
  AssumeRolePolicyDocument: documentField,
  RolePolicyList: z.array(z.object({ PolicyName: z.string(), PolicyDocument: documentField })).optional(),
  AttachedManagedPolicies: z.array(z.object({ PolicyArn: z.string(), PolicyName: z.string().optional() })).optional(),
  PermissionsBoundary: z.object({ PermissionsBoundaryArn: z.string() }).optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string().optional() })).optional(),
})

const policySchema = z.object({
  Arn: z.string(),
  DefaultVersionId: z.string().optional(),
  PolicyVersionList: z.array(
    z.object({ Document: documentField.optional(), VersionId: z.string(), IsDefaultVersion: z.boolean().optional() }),
  ),
})

type Entries = z.infer<typeof fileSchema>

/** Finds the role by ARN in an authorization-details file and resolves every policy document it uses. */
export function roleFromAuthorizationDetails(raw: unknown, roleArn: string, source: string): RoleState {
  const details = parseWith(fileSchema, raw, source)
  const index = details.RoleDetailList.findIndex((r) => arnOf(r) === roleArn)
  if (index < 0) {
    throw new InputError(source, 'RoleDetailList', `no role with Arn ${roleArn} (the environment's ExecutionRoleArn)`)
  }
  const at = `RoleDetailList[${index}]`
  const role = entry(roleSchema, details.RoleDetailList[index], source, at)
  const roleName = role.RoleName ?? lastPart(role.Arn)
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
    name: roleName,
    trustPolicy: decode(role.AssumeRolePolicyDocument, `${at}.AssumeRolePolicyDocument`, 'resource'),
    inlinePolicies: (role.RolePolicyList ?? []).map((p, i) => ({
      name: p.PolicyName,
      document: decode(p.PolicyDocument, `${at}.RolePolicyList[${i}].PolicyDocument`),
    })),
    attachedPolicies: (role.AttachedManagedPolicies ?? []).map((p) => {
      const policy = defaultVersion(details, p.PolicyArn, source, roleName)
      return {
        arn: p.PolicyArn,
        name: p.PolicyName ?? lastPart(p.PolicyArn),
        versionId: policy.versionId,
        document: decode(policy.document, policy.field),
      }
    }),
    permissionsBoundary: role.PermissionsBoundary
      ? (() => {
          const arn = role.PermissionsBoundary.PermissionsBoundaryArn
          const policy = defaultVersion(details, arn, source, roleName)
          return { arn, document: decode(policy.document, policy.field, 'boundary') }
        })()
      : null,
    tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key, t.Value ?? ''])),
  }
}

function defaultVersion(details: Entries, arn: string, source: string, roleName: string) {
  const policies = details.Policies ?? []
  const index = policies.findIndex((p) => arnOf(p) === arn)
  if (index < 0) {
    throw new InputError(
      source,
      'Policies',
      `no entry for ${arn}, used by role ${roleName} (run get-account-authorization-details without --filter, or with LocalManagedPolicy and AWSManagedPolicy)`,
    )
  }
  const policy = entry(policySchema, policies[index], source, `Policies[${index}]`)
  const v = policy.PolicyVersionList.findIndex((version) =>
    policy.DefaultVersionId ? version.VersionId === policy.DefaultVersionId : version.IsDefaultVersion === true,
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

/** One entry of the file, checked where it is: errors name its place (`RoleDetailList[3].Arn`). */
function entry<T>(schema: z.ZodType<T>, value: unknown, source: string, at: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue?.path ?? []
  // formatPath writes a leading index as `[0]` and a leading key bare: join accordingly.
  const field = path.length === 0 ? at : `${at}${typeof path[0] === 'number' ? '' : '.'}${formatPath(path)}`
  throw new InputError(source, field, issue?.message ?? 'invalid', { cause: result.error })
}

function arnOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { Arn?: unknown }).Arn : undefined
}

/** `arn:aws:iam::123456789012:policy/path/Name` -> `Name` (a role's or policy's name is its ARN's last part). */
function lastPart(arn: string): string {
  return arn.split('/').at(-1) ?? arn
}
