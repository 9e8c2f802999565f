/**
 * Role ARNs carry the role's path: `arn:aws:iam::123456789012:role/service-role/MyRole`. IAM APIs take the bare
 * name, which is the last path segment (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/

/** The role name of an IAM role ARN (path dropped), or undefined when the string is not a role ARN. */
export function roleNameFromArn(arn: string): string | undefined {
  return ROLE_ARN.exec(arn.trim())?.[1]
}
