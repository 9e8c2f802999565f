/**
 * Which VPC endpoint a required request goes through. An MWAA environment's Airflow components run with network
 * interfaces in the environment's subnets, so their calls to S3, SQS, CloudWatch Logs and CloudWatch leave through
 * the VPC: with private routing, through the VPC endpoints the environment needs
 * (https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-vpe-create-access.html: the S3 gateway endpoint and the
 * logs, monitoring, sqs and, with a customer managed key, kms interface endpoints; public routing uses them too
 * when the VPC has them). A request through an endpoint carries aws:SourceVpce and aws:SourceVpc
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce)
 * and must be allowed by the endpoint's policy
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
 * The model, per required check:
 * - s3 actions on the DAG bucket and its objects: the S3 endpoint. s3:GetAccountPublicAccessBlock is an S3 Control
 *   call on the account ({account}.s3-control...), which no S3 endpoint policy governs here: no endpoint.
 * - sqs: the SQS endpoint; logs: the CloudWatch Logs endpoint; cloudwatch: the monitoring endpoint.
 * - kms with kms:ViaService: made by SQS or S3 on the role's behalf, from the service, not from the VPC: no endpoint
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service);
 *   kms without it (an extra): the KMS endpoint.
 * - airflow:PublishMetrics goes to MWAA's own endpoints, whose policies are not read: no endpoint.
 * Route tables are not read: when a VPC has several endpoints of one service (a gateway and an interface endpoint
 * for S3), each is checked, as either may carry the request.
 */
import type { RequiredCheck } from '../baseline/types'
import type { EndpointService } from './resource-documents'

const BY_PREFIX: Readonly<Record<string, EndpointService>> = {
  sqs: 'sqs',
  logs: 'logs',
  cloudwatch: 'monitoring',
}

/** The endpoint service a check's request goes through, or undefined when it does not leave through the VPC. */
export function endpointServiceOf(check: RequiredCheck, bucketArn: string): EndpointService | undefined {
  const prefix = check.action.slice(0, check.action.indexOf(':')).toLowerCase()
  if (prefix === 's3')
    return check.resource === bucketArn || check.resource.startsWith(`${bucketArn}/`) ? 's3' : undefined
  if (prefix === 'kms') return 'kms:ViaService' in check.context ? undefined : 'kms'
  return BY_PREFIX[prefix]
}
