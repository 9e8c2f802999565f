/**
 * The KMS adapter: a customer managed key's policy (GetKeyPolicy, policy name "default") and its metadata
 * (DescribeKey: the key ARN behind an alias, KeyState, KeyManager).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 * GetKeyPolicy takes a key id or key ARN, never an alias, hence DescribeKey first. Both are cached per key until an
 * event about the key (PutKeyPolicy, DisableKey, ScheduleKeyDeletion...) forgets them: the metadata changes only
 * through such calls (an hour at most), the policy for DOCUMENT_TTL_MS at most.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import type { DocumentRead, KeyDocuments } from '../drift/resource-documents'
import type { PolicyDocument } from '../iam/types'
import { ServiceId, serviceEndpoint } from './clients'
import { DOCUMENT_TTL_MS, METADATA_TTL_MS } from './document-ttl'
import { type DocumentAdapterBuildOptions, type ReadErrors, readDocument } from './document-read'
import { decodePolicyDocument } from './policy-document'
import { createSignedHttpClient, type SignedHttpClient } from './signed-http'
import { TtlCache } from './ttl-cache'

export type KmsAdapter = {
  /** The key `keyRef` (key ARN or alias ARN) names: its ARN, state, manager and policy. */
  key(keyRef: string): Promise<DocumentRead<KeyDocuments>>
  /** Forgets what is cached about a key (its id, or an ARN ending in key/ID). */
  forget(keyId: string): void
}

type Metadata = { arn: string; state: string; awsManaged: boolean }

/** Errors that say "we cannot read this key", not "try again". */
const READ_ERRORS: ReadErrors = {
  service: 'kms',
  unreadable: new Set(['AccessDeniedException', 'NotFoundException', 'InvalidArnException']),
}

/** The key id in a key ARN, or the id itself (`mrk-...` multi-Region keys included). */
export function keyIdOf(keyRef: string): string {
  return keyRef.includes(':key/') ? keyRef.slice(keyRef.lastIndexOf(':key/') + 5) : keyRef.replace(/^key\//, '')
}

/** Builds the KMS adapter (AWS JSON 1.1, TrentService, one signed client per region); one per process. */
export function createKmsAdapter(options: DocumentAdapterBuildOptions): KmsAdapter {
  const credentials = options.credentials ?? defaultProvider()
  const clients = new Map<string, SignedHttpClient>()
  const call = async (region: string, operation: string, body: unknown) => {
    let client = clients.get(region)
    if (!client) {
      client = createSignedHttpClient({
        service: 'kms',
        region,
        endpoint: serviceEndpoint(ServiceId.kms, 'kms', region, options.env),
        credentials,
        counter: options.counter,
        maxAttempts: options.maxAttempts,
        fetch: options.fetch,
      })
      clients.set(region, client)
    }
    const text = await client.send({
      operation,
      method: 'POST',
      path: '/',
      json: { target: `TrentService.${operation}`, body },
    })
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>
  }
  const metadata = new TtlCache<DocumentRead<Metadata>>(METADATA_TTL_MS, options.clock)
  const policies = new TtlCache<DocumentRead<PolicyDocument>>(options.ttlMs ?? DOCUMENT_TTL_MS, options.clock)
  /** key id -> the references (aliases included) its metadata is cached under */
  const refs = new Map<string, Set<string>>()

  const describe = (keyRef: string, region: string) =>
    metadata.get(keyRef, () =>
      readDocument(async () => {
        const out = await call(region, 'DescribeKey', { KeyId: keyRef })
        const meta = out.KeyMetadata as { Arn?: string; KeyState?: string; KeyManager?: string } | undefined
        if (typeof meta?.Arn !== 'string')
          return { kind: 'unreadable', reason: `kms:DescribeKey returned no key for ${keyRef}` }
        const id = keyIdOf(meta.Arn)
        refs.set(id, (refs.get(id) ?? new Set()).add(keyRef))
        return {
          kind: 'found',
          value: { arn: meta.Arn, state: meta.KeyState ?? 'Unknown', awsManaged: meta.KeyManager === 'AWS' },
        }
      }, READ_ERRORS),
    )
  const policy = (keyArn: string, region: string) =>
    policies.get(keyIdOf(keyArn), () =>
      readDocument(async () => {
        const out = await call(region, 'GetKeyPolicy', { KeyId: keyArn, PolicyName: 'default' })
        return {
          kind: 'found',
          value: decodePolicyDocument(typeof out.Policy === 'string' ? out.Policy : '', `key policy of ${keyArn}`),
        }
      }, READ_ERRORS),
    )

  return {
    async key(keyRef) {
      const region = keyRef.split(':')[3] ?? ''
      const meta = await describe(keyRef, region)
      if (meta.kind !== 'found') return meta.kind === 'none' ? { kind: 'none' } : meta
      const read = await policy(meta.value.arn, region)
      if (read.kind !== 'found') return read.kind === 'none' ? { kind: 'none' } : read
      return { kind: 'found', value: { ...meta.value, policy: read.value } }
    },
    forget(keyId) {
      const id = keyIdOf(keyId)
      policies.delete(id)
      for (const ref of refs.get(id) ?? []) metadata.delete(ref)
      refs.delete(id)
    },
  }
}
