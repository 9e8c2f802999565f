/**
 * The `mwaa-role-guard` command line. Exit codes: 0 ok, 1 drift found (check), a failed run (handle, sweep) or
 * messages left in the queue (replay),
 * 2 bad input or usage (a one-line error naming the file and field), 3 an unexpected internal error.
 */
import { version } from '../../package.json'
import { InputError } from '../input-error'
import { UsageError, usage } from './args'
import { type Io, processIo } from './io'

type Command = (argv: string[], io: Io) => Promise<number>

const commands: Record<string, () => Promise<Command>> = {
  simulate: async () => (await import('./simulate')).simulateCommand,
  baseline: async () => (await import('./baseline')).baselineCommand,
  check: async () => (await import('./check')).checkCommand,
  extras: async () => (await import('./extras')).extrasCommand,
  handle: async () => (await import('./handle')).handleCommand,
  sweep: async () => (await import('./sweep')).sweepCommand,
  replay: async () => (await import('./replay')).replayCommand,
  history: async () => (await import('./history')).historyCommand,
}

/** Runs one CLI invocation and returns its exit code; never throws, never prints a stack trace. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage())
    return name ? 0 : 2
  }
  if (name === '--version') {
    io.out(`mwaa-role-guard ${version}`)
    return 0
  }
  const load = commands[name]
  if (!load) {
    io.err(`mwaa-role-guard: unknown command "${name}" (commands: ${Object.keys(commands).join(', ')}; see --help)`)
    return 2
  }
  try {
    return await (await load())(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`mwaa-role-guard ${name}: ${error.message} (see mwaa-role-guard --help)`)
      return 2
    }
    if (error instanceof InputError) {
      io.err(`mwaa-role-guard ${name}: ${error.message}`)
      return 2
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    // SDK errors carry $metadata; credential errors come from the provider chain: both are about the AWS side.
    const aws =
      typeof error === 'object' &&
      error !== null &&
      ('$metadata' in error || /Credential|Token/.test((error as Error).name ?? ''))
    io.err(`mwaa-role-guard ${name}: ${aws ? 'AWS error' : 'internal error'}: ${message.split('\n')[0]}`)
    if (io.env.MWAA_ROLE_GUARD_DEBUG && error instanceof Error && error.stack) io.err(error.stack)
    return 3
  }
}
