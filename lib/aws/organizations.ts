/**
 * The Organizations adapter: the SCPs and RCPs that apply to an account, level by level from the root. Readable only
 * from the management account or a delegated administrator (READ_ORGANIZATION_POLICIES=true); elsewhere AccessDenied
 * makes them "unreadable", and an account outside any organization has none.
 * - the levels: ListParents from the account up to the root (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html);
 * - each level's policies: ListPoliciesForTarget with Filter SERVICE_CONTROL_POLICY / RESOURCE_CONTROL_POLICY;
 * - each policy's document: DescribePolicy, cached per policy id (UpdatePolicy forgets it);
 * - the management account, which neither applies to: DescribeOrganization.
 * The structure is cached for DOCUMENT_TTL_MS; AttachPolicy, DetachPolicy and DisablePolicyType forget it.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import type { DocumentRead, OrganizationLevel, OrganizationPolicies } from '../drift/resource-documents'
import type { PolicyDocument } from '../iam/types'
import { ServiceId, serviceEndpoint } from './clients'
import { DOCUMENT_TTL_MS } from './document-ttl'
import { type DocumentAdapterBuildOptions, type ReadErrors, readDocument } from './document-read'
import { decodePolicyDocument } from './policy-document'
import { AwsHttpError, createSignedHttpClient } from './signed-http'
import { TtlCache } from './ttl-cache'

export type OrganizationsAdapter = {
  /** The SCP and RCP levels that apply to `accountId`, and the organization's management account. */
  policiesFor(accountId: string): Promise<DocumentRead<OrganizationPolicies & { managementAccount: string }>>
  /** Forgets one policy's document (UpdatePolicy) or, without an id, everything (AttachPolicy, DetachPolicy...). */
  forget(policyId?: string): void
}

type Structure = OrganizationPolicies & { managementAccount: string }

/** Errors that say "this account cannot read its organization's policies". */
const READ_ERRORS: ReadErrors = {
  service: 'organizations',
  unreadable: new Set(['AccessDeniedException', 'AccessDeniedForDependencyException', 'TargetNotFoundException']),
  none: 'AWSOrganizationsNotInUseException',
}
// A level deeper than the root plus five OUs does not exist (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
const MAX_LEVELS = 7

type PolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'

/**
 * Builds the adapter (AWS JSON 1.1, AWSOrganizationsV20161128); one per process. Organizations is global: its endpoint
 * is in us-east-1 (https://docs.aws.amazon.com/general/latest/gr/ao.html).
 */
export function createOrganizationsAdapter(options: DocumentAdapterBuildOptions): OrganizationsAdapter {
  const client = createSignedHttpClient({
    service: 'organizations',
    region: 'us-east-1',
    endpoint: serviceEndpoint(ServiceId.organizations, 'organizations', 'us-east-1', options.env),
    credentials: options.credentials ?? defaultProvider(),
    counter: options.counter,
    maxAttempts: options.maxAttempts,
    fetch: options.fetch,
  })
  const call = async (operation: string, body: Record<string, unknown>) => {
    const text = await client.send({
      operation,
      method: 'POST',
      path: '/',
      json: { target: `AWSOrganizationsV20161128.${operation}`, body },
    })
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>
  }
  const ttl = options.ttlMs ?? DOCUMENT_TTL_MS
  const structures = new TtlCache<DocumentRead<Structure>>(ttl, options.clock)
  const documents = new TtlCache<PolicyDocument>(ttl, options.clock)

  const levelsOf = async (accountId: string): Promise<string[]> => {
    const path = [accountId]
    for (let child = accountId; path.length <= MAX_LEVELS; ) {
      const parents = (await call('ListParents', { ChildId: child })).Parents as Array<{ Id?: string; Type?: string }>
      const parent = parents?.[0]
      if (typeof parent?.Id !== 'string') throw new Error(`organizations:ListParents returned no parent for ${child}`)
      path.unshift(parent.Id)
      if (parent.Type === 'ROOT') return path
      child = parent.Id
    }
    throw new Error(`organizations: ${accountId} is more than ${MAX_LEVELS} levels below its root`)
  }
  const attached = async (target: string, filter: PolicyType) => {
    const found: Array<{ id: string; name: string }> = []
    let next: string | undefined
    do {
      const out = await call('ListPoliciesForTarget', {
        TargetId: target,
        Filter: filter,
        ...(next ? { NextToken: next } : {}),
      })
      for (const p of (out.Policies ?? []) as Array<{ Id?: unknown; Name?: unknown }>)
        if (typeof p.Id === 'string') found.push({ id: p.Id, name: typeof p.Name === 'string' ? p.Name : p.Id })
      next = typeof out.NextToken === 'string' && out.NextToken !== '' ? out.NextToken : undefined
    } while (next)
    return found
  }
  const documentOf = (policyId: string) =>
    documents.get(policyId, async () => {
      const out = (await call('DescribePolicy', { PolicyId: policyId })) as { Policy?: { Content?: unknown } }
      const content = out.Policy?.Content
      return decodePolicyDocument(typeof content === 'string' ? content : '', `organization policy ${policyId}`)
    })
  const levels = async (targets: string[], filter: PolicyType): Promise<OrganizationLevel[]> => {
    const out: OrganizationLevel[] = []
    for (const target of targets) {
      const policies = []
      const found = await attached(target, filter).catch((error: unknown) => {
        if (error instanceof AwsHttpError && error.code === 'PolicyTypeNotEnabledException') return undefined
        throw error
      })
      if (found === undefined) return []
      for (const p of found) policies.push({ id: p.id, name: p.name, document: await documentOf(p.id) })
      out.push({ target, policies })
    }
    // A policy type not enabled in the root attaches nothing anywhere: none of that type applies.
    return out.every((level) => level.policies.length === 0) ? [] : out
  }
  const read = async (accountId: string): Promise<DocumentRead<Structure>> => {
    return readDocument(async () => {
      const organization = (await call('DescribeOrganization', {})) as { Organization?: { MasterAccountId?: string } }
      const targets = await levelsOf(accountId)
      return {
        kind: 'found',
        value: {
          managementAccount: organization.Organization?.MasterAccountId ?? '',
          scps: await levels(targets, 'SERVICE_CONTROL_POLICY'),
          rcps: await levels(targets, 'RESOURCE_CONTROL_POLICY'),
        },
      }
    }, READ_ERRORS)
  }
  return {
    policiesFor: (accountId) => structures.get(accountId, () => read(accountId)),
    forget(policyId) {
      structures.clear()
      if (policyId) documents.delete(policyId)
    },
  }
}
