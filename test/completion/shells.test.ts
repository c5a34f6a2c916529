import {execa} from 'execa'
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {CLI, ROOT, runCli} from '../support/cli.js'

/**
 * The scripts `goldentooth autocomplete SHELL` prints, run by the real shells with `goldentooth` on PATH (the built
 * CLI): bash and zsh at a pseudo-terminal pressing Tab, and their completion functions called directly (bash's with
 * the words as bash hands them over, split at the colon of `consul_server:!ja`: COMP_WORDBREAKS; zsh's with stand-ins
 * for the completion system); fish's own completion machinery (`complete -C`).
 */
const bin = mkdtempSync(path.join(os.tmpdir(), 'gt-shells-'))
const env = {GOLDENTOOTH_INVENTORY: 'inventory', PATH: `${bin}:${process.env.PATH}`}

beforeAll(() => {
  writeFileSync(path.join(bin, 'goldentooth'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`)
  chmodSync(path.join(bin, 'goldentooth'), 0o755)
})

async function shell(name: string, script: string): Promise<string[]> {
  const result = await execa(name, ['-c', script], {cwd: ROOT, env, reject: false})
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
  return result.stdout.split('\n').filter((line) => line !== '')
}

describe('goldentooth autocomplete', () => {
  it('prints the script of the shell named, or of $SHELL, with the line that loads it', async () => {
    const bash = await runCli(['autocomplete', 'bash'])
    expect(bash.stdout).toMatch(
      /^# goldentooth completion for bash\. Load it from ~\/\.bashrc:\n#   eval "\$\(goldentooth autocomplete bash\)"\n/,
    )
    expect((await runCli(['autocomplete'], {env: {SHELL: '/usr/bin/zsh'}})).stdout).toMatch(/^#compdef goldentooth\n/)
    expect((await runCli(['autocomplete'], {env: {SHELL: '/usr/bin/fish'}})).stdout).toContain(
      'complete -c goldentooth',
    )
  })

  it('refuses a shell it has no script for', async () => {
    const unknown = await runCli(['autocomplete'], {env: {SHELL: '/bin/tcsh'}})
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toBe(
      'goldentooth: cannot tell the shell from SHELL=/bin/tcsh\n  hint: name it: goldentooth autocomplete bash|zsh|fish\n',
    )
    const named = await runCli(['autocomplete', 'powershell'])
    expect(named.exitCode).toBe(2)
    expect(named.stderr).toMatch(/powershell/)
  })
})

/** bash: the function registered for goldentooth, called with COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD set. */
function bashCompletes(line: string, words: string[]): string {
  const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`
  return `COMP_LINE=${quoted(line)}; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${words.map(quoted).join(' ')})
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _goldentooth_complete; printf '%s\\n' "\${COMPREPLY[@]}"`
}

describe('bash', () => {
  const load = 'eval "$(goldentooth autocomplete bash)"'

  it.each([
    ['after command', 'goldentooth command ', ['goldentooth', 'command', ''], 'consul_server', 'jast'],
    [
      'after -i inventory/lab command',
      'goldentooth -i inventory/lab command ',
      ['goldentooth', '-i', 'inventory/lab', 'command', ''],
      'slurm_compute',
      'lab3',
    ],
    [
      'after a group and a comma',
      'goldentooth -i inventory/lab command slurm,',
      ['goldentooth', '-i', 'inventory/lab', 'command', 'slurm,'],
      'slurm,nfs_server',
      'slurm,lab4',
    ],
  ])('offers group and host names %s', async (_case, line, words, group, host) => {
    const offered = await shell('bash', `${load}\n${bashCompletes(line, words)}`)
    expect(offered).toContain(group)
    expect(offered).toContain(host)
  })

  it('registers the completion function, falling back to file names', async () => {
    expect(await shell('bash', `${load}\ncomplete -p goldentooth`)).toEqual([
      'complete -o default -F _goldentooth_complete goldentooth',
    ])
  })

  it('completes commands, subcommands and flags', async () => {
    expect(await shell('bash', `${load}\n${bashCompletes('goldentooth inv', ['goldentooth', 'inv'])}`)).toEqual([
      'inventory',
    ])
    const words = ['goldentooth', 'inventory', '']
    expect(await shell('bash', `${load}\n${bashCompletes('goldentooth inventory ', words)}`)).toEqual([
      'eval',
      'graph',
      'hosts',
      'show',
    ])
    const flag = ['goldentooth', 'command', 'all', '--fo']
    expect(await shell('bash', `${load}\n${bashCompletes('goldentooth command all --fo', flag)}`)).toEqual(['--forks'])
  })

  it('replaces only the text after the last colon, as bash splits the word there', async () => {
    const line = 'goldentooth command consul_server:!ja'
    const words = ['goldentooth', 'command', 'consul_server', ':', '!ja']
    expect(await shell('bash', `${load}\n${bashCompletes(line, words)}`)).toEqual(['!jast'])
    const after = ['goldentooth', 'command', 'consul_server', ':']
    const offered = await shell('bash', `${load}\n${bashCompletes('goldentooth command consul_server:', after)}`)
    expect(offered.slice(0, 2)).toEqual([':all', ':ungrouped'])
    const comma = ['goldentooth', 'command', 'consul_server,ja']
    expect(await shell('bash', `${load}\n${bashCompletes('goldentooth command consul_server,ja', comma)}`)).toEqual([
      'consul_server,jast',
    ])
  })

  it('uses the -i on the line', async () => {
    const line = 'goldentooth -i inventory/lab ping lab'
    const words = ['goldentooth', '-i', 'inventory/lab', 'ping', 'lab']
    expect(await shell('bash', `${load}\n${bashCompletes(line, words)}`)).toEqual([
      'lab1',
      'lab2',
      'lab3',
      'lab4',
      'lab5',
    ])
  })
})

/** What each line became when Tab was pressed after it, in the shell at a pseudo-terminal (test/support/shell_tab.py). */
async function pressTab(name: 'bash' | 'zsh', setup: string, lines: string[]): Promise<string[]> {
  const result = await execa('python3', [path.join(ROOT, 'test/support/shell_tab.py'), name, setup, ...lines], {
    cwd: ROOT,
    env,
  })
  return JSON.parse(result.stdout) as string[]
}

describe('at a terminal, pressing Tab', () => {
  it('bash completes what is typed, quoted or not, as readline inserts it', async () => {
    const lines = [
      'goldentooth inventory h',
      'goldentooth command consul_server:!ja',
      "goldentooth command 'consul_server:&nomad_se",
      'goldentooth -i inventory/lab ping lab3,la',
      'goldentooth command all --limit=consul_s',
      'goldentooth command -i inventory/l',
    ]
    expect(await pressTab('bash', 'eval "$(goldentooth autocomplete bash)"', lines)).toEqual([
      'goldentooth inventory hosts ',
      'goldentooth command consul_server:!jast ',
      "goldentooth command 'consul_server:&nomad_server' ",
      'goldentooth -i inventory/lab ping lab3,lab',
      'goldentooth command all --limit=consul_server ',
      'goldentooth command -i inventory/lab/',
    ])
  })

  it('zsh completes with compinit loaded, quoting what its shell would expand', async () => {
    const setup = 'autoload -U compinit && compinit -u && eval "$(goldentooth autocomplete zsh)"'
    const lines = [
      'goldentooth inventory h',
      'goldentooth command consul_server:!ja',
      "goldentooth command 'consul_server:!ja",
      'goldentooth -i inventory/lab ping lab3,la',
      'goldentooth command -i inventory/l',
    ]
    expect(await pressTab('zsh', setup, lines)).toEqual([
      'goldentooth inventory hosts ',
      'goldentooth command consul_server:\\!jast ',
      "goldentooth command 'consul_server:!jast' ",
      'goldentooth -i inventory/lab ping lab3,lab',
      'goldentooth command -i inventory/lab/',
    ])
  })
})

describe('zsh', () => {
  // The completion system (compinit, zpty) is not started: compdef, compadd and _files are stand-ins that print.
  const load = `compdef() { print -r -- "compdef $*"; }
eval "$(goldentooth autocomplete zsh)"
compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }
_files() { print FILES; }`
  const completes = (...words: string[]) =>
    `words=(${words.map((word) => `'${word}'`).join(' ')}); CURRENT=${words.length}; _goldentooth`

  it('registers the function for goldentooth', async () => {
    expect(await shell('zsh', load)).toEqual(['compdef _goldentooth goldentooth'])
  })

  it.each([
    ['after command', ['goldentooth', 'command', ''], 'consul_server', 'jast'],
    ['after -i inventory/lab command', ['goldentooth', '-i', 'inventory/lab', 'command', ''], 'slurm_compute', 'lab3'],
    [
      'after a group and a comma',
      ['goldentooth', '-i', 'inventory/lab', 'command', 'slurm,'],
      'slurm,nfs_server',
      'slurm,lab4',
    ],
  ])('offers group and host names %s', async (_case, words, group, host) => {
    const offered = await shell('zsh', `${load}\n${completes(...words)}`)
    expect(offered).toContain(group)
    expect(offered).toContain(host)
  })

  it('completes commands and host patterns with the whole word, and file names where it has nothing', async () => {
    expect((await shell('zsh', `${load}\n${completes('goldentooth', 'lab', '')}`)).slice(1)).toEqual([
      'down',
      'reset',
      'ssh',
      'status',
      'up',
    ])
    expect(
      (await shell('zsh', `${load}\n${completes('goldentooth', 'command', 'consul_server:!ja')}`)).slice(1),
    ).toEqual(['consul_server:!jast'])
    expect((await shell('zsh', `${load}\n${completes('goldentooth', 'command', '-i', '')}`)).slice(1)).toEqual([
      'FILES',
    ])
  })
})

describe('fish', () => {
  const load = 'goldentooth autocomplete fish | source'
  const completes = (line: string) => `${load}; complete -C '${line}'`

  it('completes commands, suites and host patterns through its own machinery', async () => {
    expect(await shell('fish', completes('goldentooth inventory '))).toEqual(['eval', 'graph', 'hosts', 'show'])
    expect(await shell('fish', completes('goldentooth test sys'))).toEqual(['system'])
    expect(await shell('fish', completes('goldentooth command consul_server:!ja'))).toEqual(['consul_server:!jast'])
    expect(await shell('fish', completes('goldentooth command --limit=consul_s'))).toEqual(['--limit=consul_server'])
  })

  it('completes file names where goldentooth has nothing to offer', async () => {
    expect(await shell('fish', completes('goldentooth command -i inventory/l'))).toContain('inventory/lab/')
  })
})
