/**
 * The KMS adapter: a customer managed key's policy (GetKeyPolicy, policy name "default") and its metadata
 * (DescribeKey: the key ARN behind an alias, KeyState, KeyManager).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 * GetKeyPolicy takes a key id or key ARN, never an alias, hence DescribeKey first. Both are cached per key until an
 * event about the key (PutKeyPolicy, DisableKey, ScheduleKeyDeletion...) forgets them: the metadata changes only
 * through such calls (an hour at most), the policy for DOCUMENT_TTL_MS at most.
 */
import { DescribeKeyCommand, GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms'
import type { DocumentRead, KeyDocuments } from '../drift/resource-documents'
import type { PolicyDocument } from '../iam/types'
import { DOCUMENT_TTL_MS, METADATA_TTL_MS } from './document-ttl'
import { decodePolicyDocument, PolicyDocumentError } from './policy-document'
import { type Clock, TtlCache } from './ttl-cache'

export type KmsAdapter = {
  /** The key `keyRef` (key ARN or alias ARN) names: its ARN, state, manager and policy. */
  key(keyRef: string): Promise<DocumentRead<KeyDocuments>>
  /** Forgets what is cached about a key (its id, or an ARN ending in key/ID). */
  forget(keyId: string): void
}

type Metadata = { arn: string; state: string; awsManaged: boolean }

/** Errors that say "we cannot read this key", not "try again". */
const UNREADABLE = new Set(['AccessDeniedException', 'NotFoundException', 'InvalidArnException'])

/** The key id in a key ARN, or the id itself (`mrk-...` multi-Region keys included). */
export function keyIdOf(keyRef: string): string {
  return keyRef.includes(':key/') ? keyRef.slice(keyRef.lastIndexOf(':key/') + 5) : keyRef.replace(/^key\//, '')
}

/** Builds the KMS adapter over one client per region (`clientFor`); one per process. */
export function createKmsAdapter(options: {
  clientFor: (region: string) => KMSClient
  clock: Clock
  ttlMs?: number
}): KmsAdapter {
  const metadata = new TtlCache<DocumentRead<Metadata>>(METADATA_TTL_MS, options.clock)
  const policies = new TtlCache<DocumentRead<PolicyDocument>>(options.ttlMs ?? DOCUMENT_TTL_MS, options.clock)
  /** key id -> the references (aliases included) its metadata is cached under */
  const refs = new Map<string, Set<string>>()

  const describe = (keyRef: string, region: string) =>
    metadata.get(keyRef, () =>
      readable(async () => {
        const out = await options.clientFor(region).send(new DescribeKeyCommand({ KeyId: keyRef }))
        const meta = out.KeyMetadata
        if (!meta?.Arn) return { kind: 'unreadable', reason: `kms:DescribeKey returned no key for ${keyRef}` }
        const id = keyIdOf(meta.Arn)
        refs.set(id, (refs.get(id) ?? new Set()).add(keyRef))
        return {
          kind: 'found',
          value: { arn: meta.Arn, state: meta.KeyState ?? 'Unknown', awsManaged: meta.KeyManager === 'AWS' },
        }
      }),
    )
  const policy = (keyArn: string, region: string) =>
    policies.get(keyIdOf(keyArn), () =>
      readable(async () => {
        const out = await options
          .clientFor(region)
          .send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }))
        return { kind: 'found', value: decodePolicyDocument(out.Policy ?? '', `key policy of ${keyArn}`) }
      }),
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

async function readable<T>(read: () => Promise<DocumentRead<T>>): Promise<DocumentRead<T>> {
  try {
    return await read()
  } catch (error) {
    const name = (error as { name?: unknown }).name
    if (typeof name === 'string' && UNREADABLE.has(name)) return { kind: 'unreadable', reason: `kms answered ${name}` }
    if (error instanceof PolicyDocumentError) return { kind: 'unreadable', reason: error.message }
    throw error
  }
}
