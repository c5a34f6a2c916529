import {execFileSync} from 'node:child_process'

import {describe, expect, it} from 'vitest'

import {fnmatchRegExp, matchLists, pythonRegExp} from '../../src/patterns/match.js'
import {ansibleBinary, ansiblePython} from '../support/ansible.js'

const binary = ansibleBinary()
const runs = Boolean(binary) || Boolean(process.env.CI)

const NAMES = ['bettley', 'web01.example.net', 'db-1', 'a]b', 'a-b', 'x^y', 'a\\b', '[ab]', 'web[1]', 'A1', '', 'b!c']
const GLOBS = [
  '*',
  'b*',
  '*y',
  '?ettley',
  'web*.net',
  '*.*',
  '[ab]*',
  '[!ab]*',
  '[a-c]*',
  '[c-a]*',
  '[]ab]*',
  '[!]]*',
  'a[]]b',
  'a[!]]b',
  '[',
  'web[1]',
  'web[[]1]',
  '[a-]*',
  '[-a]*',
  'a[\\]b',
  '[^x]*',
  'x[^]y',
  '**',
  '*e*e*',
  'db-?',
  'a[!-]b',
  '[z-a-c]*',
  'b[!a-z]c',
  '*e*e*e*',
  'b*e*t*l*e*y',
  '*t*e*y',
  '*.*.*',
  '*[0-9]*[0-9]*',
  '?*?*b',
  '*-*',
  '*e?*',
  '*[!a-z]*[a-z]',
]

describe.runIf(runs)("globs match exactly as Python's fnmatch (Ansible's host patterns)", () => {
  it('for every glob and name', () => {
    if (!binary) throw new Error('ansible is not installed: CI must install it (apt-get install ansible)')
    const script = [
      'import fnmatch, json, sys',
      'globs, names = json.load(sys.stdin)',
      'print(json.dumps([[fnmatch.fnmatchcase(n, g) for n in names] for g in globs]))',
    ].join('\n')
    const theirs = JSON.parse(
      execFileSync(ansiblePython(binary), ['-c', script], {encoding: 'utf8', input: JSON.stringify([GLOBS, NAMES])}),
    ) as boolean[][]
    GLOBS.forEach((glob, i) => {
      const regexp = fnmatchRegExp(glob)
      expect(
        NAMES.map((name) => regexp.test(name)),
        glob,
      ).toEqual(theirs[i])
    })
  })
})

describe('~regex patterns use Python re.match semantics', () => {
  it('anchors at the start only, and understands Python-only syntax', () => {
    expect(matchLists('~bet', [['bettley', 'abettley']])).toEqual([['bettley']])
    expect(matchLists('~(?i)BET', [['bettley', 'fenn']])).toEqual([['bettley']])
    expect(matchLists('~(?P<f>f)e(?P=f)?n$', [['fenn', 'fen']])).toEqual([['fen']])
    expect(matchLists('~\\Afenn\\Z', [['fenn', 'fennx']])).toEqual([['fenn']])
    expect(() => pythonRegExp('(')).toThrow()
  })
})
