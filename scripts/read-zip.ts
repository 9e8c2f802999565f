/**
 * Reads a zip's central directory and inflates entries: enough for the Lambda artifacts serverless-esbuild writes
 * (stored or deflated entries, no zip64), without an unzip binary or a dependency.
 * Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.12 central directory, 4.3.16 end record).
 */
import { readFileSync } from 'node:fs'
import { inflateRawSync } from 'node:zlib'

export type ZipEntry = { name: string; compressedSize: number; size: number; read(): Buffer }

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_FILE_HEADER = 0x02014b50
const LOCAL_FILE_HEADER = 0x04034b50

/** The entries of the zip file at `path`; `read()` returns an entry's uncompressed bytes. */
export function readZip(path: string): ZipEntry[] {
  const zip = readFileSync(path)
  // The end record is the last 22 bytes plus a comment of up to 64 KiB.
  let end = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i
      break
    }
  }
  if (end < 0) throw new Error(`${path}: not a zip file (no end of central directory)`)
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries: ZipEntry[] = []
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`${path}: bad central directory entry ${n}`)
    const method = zip.readUInt16LE(at + 10)
    const compressedSize = zip.readUInt32LE(at + 20)
    const size = zip.readUInt32LE(at + 24)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const localHeader = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    entries.push({
      name,
      compressedSize,
      size,
      read() {
        if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER)
          throw new Error(`${path}: bad local header for ${name}`)
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28)
        const data = zip.subarray(start, start + compressedSize)
        if (method === 0) return Buffer.from(data)
        if (method === 8) return inflateRawSync(data)
        throw new Error(`${path}: ${name} uses compression method ${method}`)
      },
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
