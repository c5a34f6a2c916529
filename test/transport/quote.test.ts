import {execFileSync} from 'node:child_process'

import {describe, expect, it} from 'vitest'

import {ShellSplitError, shJoin, shSplit} from '../../src/transport/quote.js'

const LINES = [
  `-o ProxyCommand='ssh -W %h:%p -q bastion' -o StrictHostKeyChecking=no`,
  `-o "ProxyCommand=ssh -W %h:%p bastion" a|b c;d *.x #not-a-comment $HOME`,
  String.raw`a "b \" \\ \$ \x" 'c\d' e\ f ""`,
  `x''y a"b c"d  tabs\tand\nnewlines`,
  String.raw`\\a \" \'`,
  `-J user@jump:2222,other -i ~/.ssh/id_ed25519`,
  `héllo 'wörld ✓' "日本"`,
  '',
  '   ',
]

/** What Python's shlex.split() (Ansible's splitter for ansible_ssh_common_args) makes of each line. */
function pythonShlex(lines: string[]): string[][] {
  const script = 'import json,shlex,sys\nprint(json.dumps([shlex.split(l) for l in json.load(sys.stdin)]))'
  return JSON.parse(execFileSync('python3', ['-c', script], {input: JSON.stringify(lines)}).toString()) as string[][]
}

describe('shSplit', () => {
  it('splits exactly as Python shlex.split does (differential)', () => {
    expect(LINES.map((line) => shSplit(line))).toEqual(pythonShlex(LINES))
  })

  it('rejects what shlex rejects', () => {
    for (const line of [`-o 'unclosed`, `"also unclosed`, 'trailing\\', '"escaped at end\\'])
      expect(() => shSplit(line), line).toThrow(ShellSplitError)
  })
})

describe('shJoin', () => {
  it('gives sh back the same argv', () => {
    const argv = [
      'it\'s "quoted"',
      '$HOME',
      '{a,b}',
      '*',
      '~',
      '',
      'two\nlines',
      'tab\there',
      '!bang',
      'ünïcödé ✓',
      '\\',
    ]
    const printed = execFileSync('sh', ['-c', `for a in ${shJoin(argv)}; do printf '%s\\0' "$a"; done`]).toString()
    expect(printed.split('\0').slice(0, -1)).toEqual(argv)
  })
})
