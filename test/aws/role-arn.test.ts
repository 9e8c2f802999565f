import { describe, expect, it } from 'vitest'
import { roleNameFromArn } from '../../lib/aws/role-arn'

const DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns'

describe('roleNameFromArn', () => {
  it.each([
    { doc: DOC, arn: 'arn:aws:iam::123456789012:role/mwaa-exec-role', want: 'mwaa-exec-role' },
    {
      doc: `${DOC} (MWAA console roles live under service-role/)`,
      arn: 'arn:aws:iam::644160558196:role/service-role/AmazonMWAA-testEnvironment-8hhxpU',
      want: 'AmazonMWAA-testEnvironment-8hhxpU',
    },
    { doc: `${DOC} (multi-level path)`, arn: 'arn:aws:iam::123456789012:role/a/b/c/Name+=,.@-x', want: 'Name+=,.@-x' },
    { doc: `${DOC} (other partitions)`, arn: 'arn:aws-cn:iam::123456789012:role/r', want: 'r' },
    { doc: `${DOC} (a policy ARN is not a role)`, arn: 'arn:aws:iam::123456789012:policy/p', want: undefined },
    {
      doc: `${DOC} (assumed-role is an STS session, not a role ARN)`,
      arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
      want: undefined,
    },
  ])('$arn -> $want', ({ arn, want }) => {
    expect(roleNameFromArn(arn)).toBe(want)
  })
})
