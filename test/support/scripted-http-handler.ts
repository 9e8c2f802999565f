/**
 * An SDK request handler that answers from a script instead of the network, so tests can drive the SDK's
 * real retry and parsing (aws-sdk-client-mock replaces `send`, which skips both).
 */
import { Readable } from 'node:stream'
import { HttpResponse } from '@smithy/core/protocols'

export type ScriptedResponse = { status: number; body: string; headers?: Record<string, string> }
export type SeenRequest = { hostname: string; path: string; headers: Record<string, string>; body: string }

export function scriptedHandler(script: ScriptedResponse[]) {
  const seen: SeenRequest[] = []
  return {
    seen,
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: { hostname: string; path: string; headers: Record<string, string>; body?: unknown }) {
      seen.push({
        hostname: request.hostname,
        path: request.path,
        headers: request.headers,
        body: String(request.body ?? ''),
      })
      const next = script.length > 1 ? script.shift()! : script[0]!
      return {
        response: new HttpResponse({
          statusCode: next.status,
          headers: { 'content-type': 'text/xml', ...next.headers },
          body: Readable.from([Buffer.from(next.body)]),
        }),
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  }
}

/** IAM's Query-protocol error body (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). */
export function iamError(code: string, message = code): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`
}

export function listRolePoliciesXml(names: string[]): string {
  const members = names.map((n) => `<member>${n}</member>`).join('')
  return `<ListRolePoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolePoliciesResult><PolicyNames>${members}</PolicyNames><IsTruncated>false</IsTruncated></ListRolePoliciesResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></ListRolePoliciesResponse>`
}
