/**
 * Policy documents reach us in three shapes: objects (our own files), JSON strings (CloudTrail requestParameters,
 * `aws iam get-account-authorization-details` in some CLI versions) and URL-encoded JSON strings (IAM Get* APIs,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html: "The policy document ... is URL-encoded
 * compliant with RFC 3986"). Normalise once here so the core sees one shape.
 */
import type { PolicyDocument } from '../iam/types'

export class PolicyDocumentError extends Error {
  override name = 'PolicyDocumentError'
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options)
  }
}

/** Decodes an object, JSON string or URL-encoded JSON string into a policy document object. */
export function decodePolicyDocument(raw: unknown, field: string): PolicyDocument {
  let value = raw
  if (typeof value === 'string') value = parseText(value, field)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyDocumentError(field, 'expected a policy document (an object with a Statement)')
  }
  if (!('Statement' in value)) throw new PolicyDocumentError(field, 'policy document has no Statement')
  return value as PolicyDocument
}

function parseText(text: string, field: string): unknown {
  const trimmed = text.trim()
  // A JSON document starts with '{'; its URL-encoded form starts with '%7B'.
  const json = trimmed.startsWith('{') ? trimmed : safeDecode(trimmed, field)
  try {
    return JSON.parse(json)
  } catch (cause) {
    throw new PolicyDocumentError(field, 'policy document is not valid JSON', { cause })
  }
}

function safeDecode(text: string, field: string): string {
  try {
    // No '+'-to-space step: RFC 3986 encoding uses %20, and '+' is legal unencoded (role names may contain it).
    return decodeURIComponent(text)
  } catch (cause) {
    throw new PolicyDocumentError(field, 'policy document is neither JSON nor URL-encoded JSON', { cause })
  }
}
