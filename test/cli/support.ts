/** In-process CLI runs with a capturing io, temporary input files, and authorization-details files built from roles. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Io } from '../../lib/cli/io'
import { main } from '../../lib/cli/main'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument } from '../../lib/iam/types'
import type { Sample } from '../baseline/corpus'

export type Run = { code: number; out: string; err: string }

/** Runs `mwaa-role-guard ARGV` in this process. */
export async function run(...argv: string[]): Promise<Run> {
  const out: string[] = []
  const err: string[] = []
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {} }
  const code = await main(argv, io)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** The corpus GetEnvironment file of a sample, as a user would pass it (the baseline tests' fixtures). */
export function environmentFile(name: Sample): string {
  return fileURLToPath(new URL(`../baseline/fixtures/mwaa-GetEnvironment-${name}.json`, import.meta.url))
}

/** A scratch directory for one test file; `remove()` in afterAll. */
export function scratch(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `mwaa-role-guard-${prefix}-`))
  let n = 0
  return {
    dir,
    /** Writes a value as JSON (or a string as is) and returns its path. */
    file(value: unknown, name = `input-${++n}.json`): string {
      const path = join(dir, name)
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2))
      return path
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** How the file spells policy documents: the CLI decodes them to objects; the API returns URL-encoded JSON. */
export type Encoding = 'object' | 'json' | 'url'
const encode = (doc: PolicyDocument, encoding: Encoding): unknown =>
  encoding === 'object' ? doc : encoding === 'json' ? JSON.stringify(doc) : encodeURIComponent(JSON.stringify(doc))

export type ManagedPolicy = {
  arn: string
  name: string
  /** versions in order; `default` marks the default one */
  versions: Array<{ id: string; document: PolicyDocument; default?: boolean }>
}

/**
 * `aws iam get-account-authorization-details` output holding the role (and any other roles), with every managed policy
 * the role uses, or the ones given. https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
export function authorizationDetails(
  role: RoleState,
  opts: {
    encoding?: Encoding
    managed?: ManagedPolicy[]
    otherRoles?: RoleState[]
    omitDefaultVersionId?: boolean
  } = {},
) {
  const encoding = opts.encoding ?? 'object'
  const managed =
    opts.managed ??
    [
      ...role.attachedPolicies,
      ...(role.permissionsBoundary ? [{ ...role.permissionsBoundary, name: 'boundary' }] : []),
    ].map((p) => ({
      arn: p.arn,
      name: p.name,
      versions: [{ id: 'v1', document: p.document, default: true }],
    }))
  const roleDetail = (r: RoleState) => ({
    Path: '/service-role/',
    RoleName: r.name,
    RoleId: 'AROAEXAMPLEID',
    Arn: r.arn,
    CreateDate: '2021-07-14T13:50:00+00:00',
    AssumeRolePolicyDocument: encode(r.trustPolicy, encoding),
    InstanceProfileList: [],
    RolePolicyList: r.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: encode(p.document, encoding) })),
    AttachedManagedPolicies: r.attachedPolicies.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })),
    ...(r.permissionsBoundary
      ? {
          PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.permissionsBoundary.arn },
        }
      : {}),
    Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
    RoleLastUsed: {},
  })
  return {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: [...(opts.otherRoles ?? []).map(roleDetail), roleDetail(role)],
    Policies: managed.map((p) => ({
      PolicyName: p.name,
      PolicyId: 'ANPAEXAMPLEID',
      Arn: p.arn,
      Path: '/',
      ...(opts.omitDefaultVersionId ? {} : { DefaultVersionId: p.versions.find((v) => v.default)?.id }),
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: '2021-07-14T13:50:00+00:00',
      UpdateDate: '2021-07-14T13:50:00+00:00',
      PolicyVersionList: p.versions.map((v) => ({
        Document: encode(v.document, encoding),
        VersionId: v.id,
        IsDefaultVersion: v.default === true,
        CreateDate: '2021-07-14T13:50:00+00:00',
      })),
    })),
    IsTruncated: false,
  }
}

/** Asserted by every bad-input case: exit 2, one line on stderr naming the file, nothing on stdout, no stack trace. */
export function isOneLineInputError(result: Run): boolean {
  return (
    result.code === 2 &&
    result.out === '' &&
    !result.err.includes('\n') &&
    !/\n\s+at /.test(result.err) &&
    result.err.length > 0
  )
}
