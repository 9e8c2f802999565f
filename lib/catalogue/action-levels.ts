/**
 * The catalogue the Lambda ships to judge compiled extras: does an action exist, with which casing, and what is its
 * access level. Built lazily (the first extras read), from the generated file bundled with the function.
 */
import { type ActionLevelsFile, expandLevels } from './action-levels-file'
import generated from './action-levels.generated.json'

export type ActionLevels = {
  /** `s3:getobject` -> `s3:GetObject`; undefined for an action the catalogue does not have */
  canonical(action: string): string | undefined
  /** the access level(s), e.g. `Read`, `Permissions management, Write`; undefined for an unknown action */
  level(action: string): string | undefined
  /** the iam-data release it was generated from */
  version: string
}

const file = generated as ActionLevelsFile
let built: ActionLevels | undefined

/** The shipped catalogue of every action and its access level. */
export function actionLevels(): ActionLevels {
  built ??= fromFile(file)
  return built
}

/** An ActionLevels over any file of the generated shape (tests build small ones). */
export function fromFile(data: ActionLevelsFile): ActionLevels {
  const index = new Map<string, { name: string; level: string }>()
  for (const [service, entry] of Object.entries(data.services)) {
    for (const { name, level } of expandLevels(entry, data.levels))
      index.set(`${service}:${name}`.toLowerCase(), { name: `${service}:${name}`, level })
  }
  return {
    canonical: (action) => index.get(action.toLowerCase())?.name,
    level: (action) => index.get(action.toLowerCase())?.level,
    version: data.source.version,
  }
}
