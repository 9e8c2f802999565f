/**
 * IAM is eventually consistent: a read right after a change may still show the old state
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
 * expectedEffect says what a read must show to reflect the event, so the shell can re-read briefly until it does
 * (and then carry on regardless: the check is a courtesy, never a gate).
 */
import type { RoleState } from '../drift/types'
import type { ParsedEvent } from './parse-event'
import { parsePolicyText, samePolicy } from './policy-equal'

export type RoleStateCheck = (state: RoleState) => boolean

// IAM names are unique regardless of case (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
// and so are role tag keys: tagging `department=hr` replaces `Department=finance`
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html, "Rules for tagging in IAM").
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** A predicate that is true once a freshly read role state reflects the event; undefined where no check makes sense. */
export function expectedEffect(event: ParsedEvent): RoleStateCheck | undefined {
  switch (event.name) {
    case 'PutRolePolicy': {
      const { policyName, policyDocument } = event.request
      if (!policyName) return undefined
      const document = parsePolicyText(policyDocument)
      return (state) =>
        state.inlinePolicies.some(
          (p) => sameName(p.name, policyName) && (!document || samePolicy(p.document, document, partitionOf(state))),
        )
    }
    case 'DeleteRolePolicy': {
      const { policyName } = event.request
      return policyName ? (state) => !state.inlinePolicies.some((p) => sameName(p.name, policyName)) : undefined
    }
    case 'AttachRolePolicy': {
      const { policyArn } = event.request
      return policyArn ? (state) => state.attachedPolicies.some((p) => p.arn === policyArn) : undefined
    }
    case 'DetachRolePolicy': {
      const { policyArn } = event.request
      return policyArn ? (state) => !state.attachedPolicies.some((p) => p.arn === policyArn) : undefined
    }
    case 'UpdateAssumeRolePolicy': {
      const document = parsePolicyText(event.request.policyDocument)
      return document ? (state) => samePolicy(state.trustPolicy, document, partitionOf(state)) : undefined
    }
    case 'PutRolePermissionsBoundary': {
      const { permissionsBoundary } = event.request
      return permissionsBoundary ? (state) => state.permissionsBoundary?.arn === permissionsBoundary : undefined
    }
    case 'DeleteRolePermissionsBoundary':
      return (state) => state.permissionsBoundary === null
    case 'TagRole': {
      const { tags } = event.request
      return tags ? (state) => tags.every((t) => tagValue(state, t.key) === t.value) : undefined
    }
    case 'UntagRole': {
      const { tagKeys } = event.request
      return tagKeys ? (state) => tagKeys.every((k) => tagValue(state, k) === undefined) : undefined
    }
    case 'CreatePolicyVersion': {
      // Only a new default version changes what attached roles may do.
      const { policyArn, setAsDefault } = event.request
      const document = parsePolicyText(event.request.policyDocument)
      if (!setAsDefault || !document) return undefined
      return (state) =>
        state.attachedPolicies.every((p) => p.arn !== policyArn || samePolicy(p.document, document, partitionOf(state)))
    }
    case 'SetDefaultPolicyVersion': {
      const { policyArn, versionId } = event.request
      if (!versionId) return undefined
      return (state) =>
        state.attachedPolicies.every(
          (p) => p.arn !== policyArn || p.versionId === undefined || p.versionId === versionId,
        )
    }
    default:
      // DeletePolicyVersion cannot touch the default version (API_DeletePolicyVersion), DeleteRole leaves no state
      // to read, and MWAA calls do not change the role.
      return undefined
  }
}

function tagValue(state: RoleState, key: string): string | undefined {
  const found = Object.keys(state.tags).find((k) => sameName(k, key))
  return found === undefined ? undefined : state.tags[found]
}

function partitionOf(state: RoleState): string {
  return state.arn.split(':')[1] || 'aws'
}
