/**
 * How long the adapters keep a document beyond the role. An event about the document forgets it at once
 * (PutBucketPolicy, PutKeyPolicy, ModifyVpcEndpoint, AttachPolicy...); the time limit bounds what a lost or
 * unwatched event (a region without the forwarder, a change made before deployment) can leave stale.
 */

/** Bucket, key, endpoint and organization policies. */
export const DOCUMENT_TTL_MS = 10 * 60_000

/** What changes only through a watched event or never: a key's state and manager, a subnet's VPC. */
export const METADATA_TTL_MS = 60 * 60_000
