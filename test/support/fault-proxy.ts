/**
 * An HTTP proxy in front of moto (or the MWAA stand-in) that adds latency to every call, about what a real AWS call
 * costs, and can answer a share of IAM calls itself with IAM's throttling error (400 `Throttling`) or a 500
 * (`ServiceFailure`), before they reach moto: a faulted call changed nothing, as when AWS refuses it
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). It records every request: which were
 * faulted and which writes reached moto (with their parameters), and the status each answer had, so a test can prove
 * "no duplicate write" or "nothing but this write". `rule` forces a fault on chosen calls (AccessDenied too: a
 * permanent refusal). With `perCall`, a call's draw depends on the seed and on which call it is (action, role, target,
 * and how many such calls came before), not on the order concurrent clients' calls arrive: the same calls are faulted
 * on every run however the processes interleave.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'

export type Faults = { throttle?: number; serverError?: number }
export type Fault = 'throttle' | 'server-error' | 'access-denied'
export type ProxiedCall = {
  service: string
  action: string
  /** RoleName of an IAM call, when it has one */
  roleName?: string
  /** PolicyName / PolicyArn of an IAM write */
  target?: string
  fault?: Fault
  /** the HTTP status of the answer the client got (set once it is sent) */
  status?: number
  /** the form parameters of an IAM call that is not a Get or List (what a write asked for) */
  params?: Record<string, string>
}

export type FaultProxy = {
  endpoint: string
  calls: ProxiedCall[]
  /** IAM writes that reached the upstream */
  writes(): ProxiedCall[]
  setFaults(faults: Faults): void
  stop(): Promise<void>
}

export type FaultProxyOptions = {
  upstream: string
  latencyMs?: number
  /** shares of IAM calls answered with a fault (the rest are forwarded) */
  faults?: Faults
  /** for a reproducible run */
  seed?: number
  /** draw per call identity (see above) instead of from one sequence in arrival order */
  perCall?: boolean
  /** a fault for this IAM call whatever the draw, or undefined to draw */
  rule?: (call: ProxiedCall) => Fault | undefined
}

const IAM_WRITE = /^(Put|Attach|Update|Create|Delete|Detach|Tag|Untag)/

/** Starts the proxy on a free 127.0.0.1 port. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const random = mulberry32(options.seed ?? 1)
  let faults: Faults = options.faults ?? {}
  const calls: ProxiedCall[] = []
  const seen = new Map<string, number>()
  const draw = (call: ProxiedCall) => {
    if (!options.perCall) return random()
    const key = `${call.action}\n${call.roleName ?? ''}\n${call.target ?? ''}`
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    return mulberry32(hashOf(`${options.seed ?? 1}\n${key}\n${n}`))()
  }

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req)
      const call = describe(req, body)
      calls.push(call)
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs))
      if (call.service === 'iam') {
        const drawn = draw(call)
        const throttle = faults.throttle ?? 0
        call.fault =
          options.rule?.(call) ??
          (drawn < throttle ? 'throttle' : drawn < throttle + (faults.serverError ?? 0) ? 'server-error' : undefined)
        if (call.fault) {
          call.status = call.fault === 'throttle' ? 400 : call.fault === 'access-denied' ? 403 : 500
          return answerIam(res, call.fault)
        }
        delete call.fault
      }
      forward(req, res, body, call)
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(String(error))
    })
  })

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, call: ProxiedCall) => {
    const out = request(
      {
        agent,
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // The Host header stays the proxy's: the client signed it (the MWAA stand-in checks the signature).
        headers: req.headers,
      },
      (upstreamRes) => {
        call.status = upstreamRes.statusCode
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      },
    )
    out.on('error', (error) => {
      call.status = 502
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(String(error))
    })
    out.end(body)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no port')
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    calls,
    writes: () => calls.filter((c) => c.service === 'iam' && !c.fault && IAM_WRITE.test(c.action)),
    setFaults: (next) => {
      faults = next
    },
    stop: async () => {
      agent.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * The service from the SigV4 credential scope; the action from a Query-protocol body (IAM, SNS, EC2), the
 * X-Amz-Target header of a JSON-protocol call (KMS, DynamoDB, Organizations: the part after the dot), or the method
 * and path (S3, MWAA).
 */
function describe(req: IncomingMessage, body: Buffer): ProxiedCall {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')
  const service = scope?.[1] ?? 'unknown'
  const form = new URLSearchParams(body.toString('utf8'))
  const target = req.headers['x-amz-target']
  const action =
    form.get('Action') ??
    (typeof target === 'string'
      ? (target.split('.').at(-1) ?? target)
      : `${req.method} ${(req.url ?? '').split('?')[0]}`)
  const roleName = form.get('RoleName') ?? undefined
  const policy = form.get('PolicyName') ?? form.get('PolicyArn') ?? undefined
  const params = service === 'iam' && !/^(Get|List)/.test(action) ? Object.fromEntries(form) : undefined
  return {
    service,
    action,
    ...(roleName ? { roleName } : {}),
    ...(policy ? { target: policy } : {}),
    ...(params ? { params } : {}),
  }
}

function answerIam(res: ServerResponse, fault: Fault) {
  const [status, code, message] =
    fault === 'throttle'
      ? [400, 'Throttling', 'Rate exceeded']
      : fault === 'access-denied'
        ? [403, 'AccessDenied', 'not authorized to perform this action (fault proxy)']
        : [500, 'ServiceFailure', 'internal failure']
  res.writeHead(status, { 'content-type': 'text/xml' })
  res.end(
    `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${status === 400 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
  )
}

/** FNV-1a: a 32-bit seed from a string. */
function hashOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** A small seeded PRNG (mulberry32): the same faults on every run with the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
