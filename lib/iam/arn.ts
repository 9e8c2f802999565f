/** ARN fields: arn:partition:service:region:account:resource (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */

/** The account field of an ARN; undefined when it has none (S3 buckets and objects, "*", AWS managed policies). */
export function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined
  // arn:partition:service:region:account:resource
  let at = 3
  for (let field = 1; field < 4; field++) {
    at = arn.indexOf(':', at + 1)
    if (at < 0) return undefined
  }
  const account = arn.slice(at + 1, at + 13)
  return arn.charCodeAt(at + 13) === 58 && ACCOUNT.test(account) ? account : undefined
}

const ACCOUNT = /^\d{12}$/
