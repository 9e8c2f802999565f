/**
 * A stand-in for MWAA's GetEnvironment and ListEnvironments (REST-JSON, https://docs.aws.amazon.com/mwaa/latest/API/),
 * since moto has no MWAA. Wire format checked against @aws-sdk/client-mwaa's deserializer: the body is
 * `{"Environment": {...}}` with timestamps as epoch seconds; errors carry `x-amzn-errortype` and `{"message"}`.
 * It also checks every request's SigV4 signature against the fake secret, as AWS would.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { Sha256 } from '@smithy/core/checksum'
import { SignatureV4 } from '@smithy/signature-v4'

export type WireEnvironment = Record<string, unknown> & { Name: string }
export type RecordedRequest = { method: string; url: string; authorization?: string }
type Failure = { status: number; code: string; message?: string }

export type MwaaServer = {
  endpoint: string
  requests: RecordedRequest[]
  put(environment: WireEnvironment): void
  delete(name: string): void
  /** The next `times` requests fail with this status and error type (throttling, 5xx...). */
  failNext(times: number, failure: Failure): void
  stop(): Promise<void>
}

export type MwaaServerOptions = {
  environments?: WireEnvironment[]
  /** the secret requests must be signed with; undefined skips the check */
  secretAccessKey?: string
}

const MAX_RESULTS = 25

/** The wire-format environments of a fixtures folder (files holding `{ source, Environment }`). */
export function loadWireEnvironments(dir: string): WireEnvironment[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Environment: WireEnvironment }).Environment)
}

/** Starts the server on a free 127.0.0.1 port. */
export async function startMwaaServer(options: MwaaServerOptions = {}): Promise<MwaaServer> {
  const environments = new Map((options.environments ?? []).map((e) => [e.Name, structuredClone(e)]))
  const requests: RecordedRequest[] = []
  const failures: Failure[] = []
  let requestCount = 0

  const server = createServer((req, res) => {
    void (async () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization })
      const requestId = `req-${++requestCount}`
      if (options.secretAccessKey && !(await signatureMatches(req, options.secretAccessKey))) {
        return sendError(
          res,
          requestId,
          403,
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided.',
        )
      }
      const failure = failures.shift()
      if (failure) return sendError(res, requestId, failure.status, failure.code, failure.message ?? failure.code)
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (req.method !== 'GET') return sendError(res, requestId, 405, 'ValidationException', 'only GET is implemented')
      if (url.pathname === '/environments')
        return listEnvironments(res, requestId, url, [...environments.keys()].sort())
      const match = /^\/environments\/([^/]+)$/.exec(url.pathname)
      if (!match) return sendError(res, requestId, 404, 'UnknownOperationException', `no route for ${url.pathname}`)
      const name = decodeURIComponent(match[1]!)
      const environment = environments.get(name)
      if (!environment)
        return sendError(res, requestId, 404, 'ResourceNotFoundException', `Environment ${name} not found`)
      return sendJson(res, requestId, 200, { Environment: environment })
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('mwaa-server has no port')

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    put: (environment) => environments.set(environment.Name, structuredClone(environment)),
    delete: (name) => environments.delete(name),
    failNext: (times, failure) => failures.push(...Array.from({ length: times }, () => failure)),
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}

function listEnvironments(res: ServerResponse, requestId: string, url: URL, names: string[]) {
  const maxResults = Number(strictQuery(url).MaxResults ?? MAX_RESULTS)
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    return sendError(res, requestId, 400, 'ValidationException', `MaxResults must be between 1 and ${MAX_RESULTS}`)
  }
  // NextToken is opaque to clients. Real ones are base64-like; this one carries '+', '/' and '=' on purpose, so
  // a client that encodes the query differently from how it signed it fails the signature check.
  const token = strictQuery(url).NextToken ?? null
  const start = token === null ? 0 : Number(/^page\/(\d+)\+=$/.exec(token)?.[1] ?? NaN)
  if (!Number.isInteger(start)) return sendError(res, requestId, 400, 'ValidationException', 'invalid NextToken')
  const page = names.slice(start, start + maxResults)
  const next = start + maxResults < names.length ? `page/${start + maxResults}+=` : undefined
  return sendJson(res, requestId, 200, { Environments: page, ...(next ? { NextToken: next } : {}) })
}

function sendJson(res: ServerResponse, requestId: string, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, requestId: string, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': code })
  res.end(JSON.stringify({ message }))
}

/** Re-signs the request as received (only the headers it says it signed) and compares signatures. */
async function signatureMatches(req: IncomingMessage, secretAccessKey: string): Promise<boolean> {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      req.headers.authorization ?? '',
    )
  const amzDate = req.headers['x-amz-date']
  if (!auth || typeof amzDate !== 'string') return false
  const [, accessKeyId, , region, service, signedHeaders, signature] = auth
  const headers: Record<string, string> = {}
  for (const name of signedHeaders!.split(';')) headers[name] = String(req.headers[name] ?? '')
  const url = new URL(req.url ?? '/', 'http://localhost')
  const signer = new SignatureV4({
    service: service!,
    region: region!,
    sha256: Sha256,
    credentials: { accessKeyId: accessKeyId!, secretAccessKey },
  })
  const signed = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query: strictQuery(url),
      headers,
    },
    { signingDate: parseAmzDate(amzDate) },
  )
  return String(signed.headers.authorization).endsWith(`Signature=${signature}`)
}

/** Query parameters decoded as AWS does (RFC 3986: '+' is a plus sign, not a space as in URLSearchParams). */
function strictQuery(url: URL): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of url.search.slice(1).split('&').filter(Boolean)) {
    const [k = '', v = ''] = pair.split('=')
    out[decodeURIComponent(k)] = decodeURIComponent(v)
  }
  return out
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(NaN)
}
