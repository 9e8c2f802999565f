/** Where a CLI command writes and what environment it reads: the process's, or a test's capture. */
export type Io = { out: (text: string) => void; err: (text: string) => void; env: NodeJS.ProcessEnv }

/** The process's stdout, stderr and environment; each write ends with one newline. */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
  }
}
