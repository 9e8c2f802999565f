/**
 * A moto server for integration tests: reuses the one CI started (MOTO_ENDPOINT), or starts `moto_server` on a
 * free loopback port and stops it (its whole process group) afterwards.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

export type Moto = { endpoint: string; stop(): Promise<void> }

/**
 * Starts (or reuses, when MOTO_ENDPOINT is set) a moto server and waits until it answers. `own`: always a server of
 * its own (a test that sends thousands of calls keeps them out of the queue the other test files share).
 */
export async function startMoto(options: { timeoutMs?: number; own?: boolean } = {}): Promise<Moto> {
  const shared = options.own ? undefined : process.env.MOTO_ENDPOINT
  if (shared) {
    await waitUntilUp(shared, options.timeoutMs ?? 15_000)
    // Not ours to stop: other test files use it too.
    return { endpoint: shared.replace(/\/$/, ''), stop: async () => {} }
  }
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true, // its own process group, so stop() also ends the workers a Python launcher may fork
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      return // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
    }, 3_000)
    await exited
    clearTimeout(timer)
  }
  try {
    await Promise.race([
      waitUntilUp(endpoint, options.timeoutMs ?? 15_000),
      exited.then(() => Promise.reject(new Error(`moto_server exited early: ${stderr}`))),
      new Promise((_, reject) => child.once('error', reject)),
    ])
  } catch (error) {
    await stop()
    throw error
  }
  return { endpoint, stop }
}

/** Fake credentials for moto; never real ones, so a test cannot reach an account by mistake. */
export const motoCredentials = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('could not find a free port')
  return address.port
}

async function waitUntilUp(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint.replace(/\/$/, '')}/moto-api/`, { signal: AbortSignal.timeout(1_000) })
      if (response.ok) return
      last = new Error(`status ${response.status}`)
    } catch (error) {
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`moto at ${endpoint} did not answer within ${timeoutMs} ms`, { cause: last })
}
