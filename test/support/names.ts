import { randomBytes } from 'node:crypto'

/**
 * A resource name no other test file will use. Test files run in parallel and may share one moto server
 * (MOTO_ENDPOINT in CI), where IAM names are account-global, so names must not collide and no file may reset
 * the server under another.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}
