import {execFileSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {commandLine, commandsFromLines, scriptCommand} from '../../src/transport/remote-command.js'

const sh = (command: string, stdin = '') => execFileSync('sh', ['-c', command], {encoding: 'utf8', input: stdin})

describe('commandLine', () => {
  it('runs one argument as a shell command line', () => {
    expect(sh(commandLine(['echo "$((1 + 2))" | tr 3 x']))).toBe('x\n')
  })

  it('passes several arguments through as an exact argv: quotes, $, {}, newlines and non-ASCII intact', () => {
    const words = ["it's", '$HOME', '{a,b}', 'two\nlines', 'ünïcødé ✓', '*', '', 'a;b|c']
    const printed = sh(commandLine(['printf', '[%s]', ...words]))
    expect(printed).toBe(words.map((word) => `[${word}]`).join(''))
  })
})

describe('scriptCommand', () => {
  const tmpFiles = () => readdirSync('/tmp').filter((name) => name.startsWith('tmp.'))

  it('runs stdin as one program: cd and variables persist; the temp file is removed', () => {
    const before = tmpFiles()
    const script = 'cd /usr\nX=42\npwd\necho "x=$X"\nexit 7\n'
    let status = 0
    let out = ''
    try {
      out = sh(scriptCommand(script), script)
    } catch (error) {
      const failure = error as {status: number; stdout: string}
      status = failure.status
      out = failure.stdout
    }
    expect(status).toBe(7)
    expect(out).toBe('/usr\nx=42\n')
    expect(tmpFiles()).toEqual(before)
  })

  it('honours a #! line', () => {
    const script = '#!/usr/bin/env python3\nprint(sum(range(5)))\n'
    expect(sh(scriptCommand(script), script)).toBe('10\n')
  })
})

describe('commandsFromLines', () => {
  it('skips blank lines and comments', () => {
    expect(commandsFromLines('# header\n\nuptime\n  df -h /  \n#x\n')).toEqual(['uptime', 'df -h /'])
  })
})
