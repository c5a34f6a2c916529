import {readFileSync} from 'node:fs'

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\r/g

/** The last `count` non-empty lines of a console or build log, without terminal escapes. */
export function consoleTail(file: string, count: number): string[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-count)
}
