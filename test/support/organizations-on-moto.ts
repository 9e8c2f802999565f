/**
 * An organization on moto whose member account a world can live in, and a way for the guard in that member account to
 * read its SCP levels. In AWS a delegated administrator (or the management account) may call ListParents and
 * ListPoliciesForTarget (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html); moto
 * 5.2.1 answers them only to the management account (a member gets AccountNotFoundException). So the guard's
 * Organizations calls go through a local proxy that presents the management account's access key to moto (which
 * routes by that key and checks no signature); every other service is called as the member.
 */
import { createServer, request as httpRequest } from 'node:http'
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeCreateAccountStatusCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import type { PolicyDocument } from '../../lib/iam/types'
import { openMotoAccount, type MotoAccount } from './moto-account'

export type MotoOrganization = {
  management: MotoAccount
  /** a member account the organization created (the world's account) */
  memberAccountId: string
  /** the organization's root */
  rootId: string
  /** an SCP attached to the member account directly, or to `target` (the root, say) */
  attachScp(name: string, document: PolicyDocument, target?: string): Promise<{ policyId: string }>
  /** AWS_ENDPOINT_URL_ORGANIZATIONS for the guard: the management-key proxy */
  endpoint: string
  stop(): Promise<void>
}

/** Creates the organization (all features) and a member account, and starts the proxy. */
export async function organizationOnMoto(motoEndpoint: string): Promise<MotoOrganization> {
  const management = await openMotoAccount(motoEndpoint)
  const client = new OrganizationsClient({ region: 'us-east-1', endpoint: motoEndpoint, credentials: management })
  await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
  const created = await client.send(new CreateAccountCommand({ Email: 'data@example.com', AccountName: 'data' }))
  const status = await client.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }),
  )
  const memberAccountId = status.CreateAccountStatus!.AccountId!
  const rootId = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!
  const target = new URL(motoEndpoint)
  const server = createServer((req, res) => {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host }
    // The signature's access key picks moto's account: the management account's.
    headers.authorization = String(req.headers.authorization ?? '').replace(
      /Credential=[^/]+\//,
      `Credential=${management.accessKeyId}/`,
    )
    headers['x-amz-security-token'] = management.sessionToken
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('organizations proxy has no port')
  return {
    management,
    memberAccountId,
    rootId,
    endpoint: `http://127.0.0.1:${address.port}`,
    async attachScp(name, document, target = memberAccountId) {
      const policy = await client.send(
        new CreatePolicyCommand({
          Name: name,
          Description: name,
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify(document),
        }),
      )
      const policyId = policy.Policy!.PolicySummary!.Id!
      await client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: target }))
      return { policyId }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
