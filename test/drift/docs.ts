/** AWS documentation pages the drift, heal, CLI and report cases come from. */
import { DOC as IAM } from '../iam/docs'
import { DOC as MWAA } from '../baseline/corpus'

export const DOC = {
  mwaaRole: MWAA.role,
  deputy: MWAA.deputy,
  getEnvironment: MWAA.getEnvironment,
  evaluation: IAM.evaluation,
  denyAllow: IAM.denyAllow,
  boundaries: IAM.boundaries,
  notResource: IAM.notResource,
  sid: IAM.sid,
  principal: IAM.principal,
  quotas:
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length',
  managedVersions: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html',
  authDetails: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html',
  rolePolicy: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html',
  trust: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html',
  s3Ref: MWAA.s3,
} as const
