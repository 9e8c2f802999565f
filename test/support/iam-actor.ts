/**
 * Someone changing a role: each method makes the real IAM call on moto, then returns the event CloudTrail would have
 * sent for it (requestParameters as CloudTrail records them: `roleName`, `policyArn`, policy documents as JSON
 * strings; https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html for the parameters).
 * A call IAM rejects yields an event with `errorCode` when the actor allows failures, else it throws.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import type { PolicyDocument } from '../../lib/iam/types'
import { cloudTrailEvent, type Caller, type CloudTrailEvent } from './cloudtrail-event'

type Document = PolicyDocument | string
const text = (d: Document) => (typeof d === 'string' ? d : JSON.stringify(d, null, 4))

export type ActorOptions = { allowFailure?: boolean }

/** The drifts, one method per watched IAM call. */
export class IamActor {
  constructor(
    private readonly iam: IAMClient,
    /** the account the calls are made in (the event's recipientAccountId) */
    private readonly account: string,
    readonly caller: Caller,
    private readonly options: ActorOptions = {},
  ) {}

  putRolePolicy(roleName: string, policyName: string, document: Document) {
    const policyDocument = text(document)
    return this.call('PutRolePolicy', { roleName, policyName, policyDocument }, () =>
      this.iam.send(
        new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: policyDocument }),
      ),
    )
  }

  deleteRolePolicy(roleName: string, policyName: string) {
    return this.call('DeleteRolePolicy', { roleName, policyName }, () =>
      this.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    )
  }

  attachRolePolicy(roleName: string, policyArn: string) {
    return this.call('AttachRolePolicy', { roleName, policyArn }, () =>
      this.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    )
  }

  detachRolePolicy(roleName: string, policyArn: string) {
    return this.call('DetachRolePolicy', { roleName, policyArn }, () =>
      this.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    )
  }

  updateAssumeRolePolicy(roleName: string, document: Document) {
    const policyDocument = text(document)
    return this.call('UpdateAssumeRolePolicy', { roleName, policyDocument }, () =>
      this.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: policyDocument })),
    )
  }

  putRolePermissionsBoundary(roleName: string, permissionsBoundary: string) {
    return this.call('PutRolePermissionsBoundary', { roleName, permissionsBoundary }, () =>
      this.iam.send(
        new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: permissionsBoundary }),
      ),
    )
  }

  deleteRolePermissionsBoundary(roleName: string) {
    return this.call('DeleteRolePermissionsBoundary', { roleName }, () =>
      this.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName })),
    )
  }

  tagRole(roleName: string, tags: Record<string, string>) {
    const list = Object.entries(tags).map(([key, value]) => ({ key, value }))
    return this.call('TagRole', { roleName, tags: list }, () =>
      this.iam.send(
        new TagRoleCommand({ RoleName: roleName, Tags: list.map((t) => ({ Key: t.key, Value: t.value })) }),
      ),
    )
  }

  untagRole(roleName: string, tagKeys: string[]) {
    return this.call('UntagRole', { roleName, tagKeys }, () =>
      this.iam.send(new UntagRoleCommand({ RoleName: roleName, TagKeys: tagKeys })),
    )
  }

  /**
   * IAM refuses to delete a role that still has policies (DeleteConflict,
   * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html), so the actor removes them first, as a
   * person would; only the DeleteRole event is returned (the others are drifts of a role about to go).
   */
  async deleteRole(roleName: string) {
    const inline = await this.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))
    for (const name of inline.PolicyNames ?? [])
      await this.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }))
    const attached = await this.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))
    for (const p of attached.AttachedPolicies ?? [])
      await this.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn }))
    return this.call('DeleteRole', { roleName }, () => this.iam.send(new DeleteRoleCommand({ RoleName: roleName })))
  }

  async createPolicyVersion(policyArn: string, document: Document, setAsDefault: boolean) {
    const policyDocument = text(document)
    let versionId: string | undefined
    const event = await this.call('CreatePolicyVersion', { policyArn, policyDocument, setAsDefault }, async () => {
      const out = await this.iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: policyArn,
          PolicyDocument: policyDocument,
          SetAsDefault: setAsDefault,
        }),
      )
      versionId = out.PolicyVersion?.VersionId
      return { policyVersion: { versionId, isDefaultVersion: setAsDefault, createDate: new Date().toUTCString() } }
    })
    return Object.assign(event, { versionId })
  }

  setDefaultPolicyVersion(policyArn: string, versionId: string) {
    return this.call('SetDefaultPolicyVersion', { policyArn, versionId }, () =>
      this.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
    )
  }

  deletePolicyVersion(policyArn: string, versionId: string) {
    return this.call('DeletePolicyVersion', { policyArn, versionId }, () =>
      this.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
    )
  }

  /** Makes the call; the event records its error instead when IAM rejected it. */
  private async call(
    eventName: string,
    requestParameters: Record<string, unknown>,
    send: () => Promise<unknown>,
  ): Promise<CloudTrailEvent> {
    let responseElements: Record<string, unknown> | null = null
    let error: { code: string; message: string } | undefined
    try {
      const out = await send()
      // Only CreatePolicyVersion returns something CloudTrail records here; SDK outputs carry $metadata.
      if (out && typeof out === 'object' && !('$metadata' in out)) responseElements = out as Record<string, unknown>
    } catch (e) {
      if (!this.options.allowFailure || !(e instanceof Error) || !('$metadata' in e)) throw e
      error = { code: e.name, message: e.message }
    }
    return cloudTrailEvent({
      account: this.account,
      service: 'iam',
      eventName,
      requestParameters,
      responseElements,
      caller: this.caller,
      error,
    })
  }
}
