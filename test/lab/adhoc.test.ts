import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {stopNode} from '../../src/lab/node-process.js'
import {readState} from '../../src/lab/state.js'
import {spawnCli} from '../support/cli.js'
import {ensureLabUp, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

const lab = (args: string[], input?: string) =>
  runCli(['-i', 'inventory/lab', ...args], input === undefined ? {} : {input})

describe.skipIf(labUnavailable())('ad-hoc commands on the lab', () => {
  let work: string
  beforeAll(async () => {
    await ensureLabUp()
    work = mkdtempSync(path.join(os.tmpdir(), 'gt-lab-adhoc-'))
  })
  afterAll(async () => {
    await ensureLabUp()
  })

  it('prints the hostname of every node', async () => {
    const {exitCode, stdout} = await lab(['command', 'all', '--json', '--', 'hostname'])
    expect(exitCode).toBe(0)
    const results = JSON.parse(stdout).results as Array<{host: string; stdout: string}>
    expect(results.map((r) => [r.host, r.stdout.trim()])).toEqual([1, 2, 3, 4, 5].map((n) => [`lab${n}`, `lab${n}`]))
  })

  it('folds equal output and reports a command that fails on one node with exit 1', async () => {
    const {exitCode, stdout} = await lab(['command', 'all', '--', 'test "$(hostname)" != lab4 && echo fine'])
    expect(exitCode).toBe(1)
    expect(stdout).toBe('lab1,lab2,lab3,lab5 (4) | rc=0\nfine\nlab4 (1) | rc=1\n')
  })

  it('reports a node stopped mid-run as unreachable, and the rest succeed', async () => {
    const run = spawnCli(['-i', 'inventory/lab', 'command', 'all', '--json', '--', 'sleep 5; hostname'])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const nspawn = readState()?.nodes.lab5?.nspawn
    expect(nspawn).toBeDefined()
    await stopNode('lab5', nspawn)
    const result = await run
    expect(result.exitCode).toBe(1)
    const document = JSON.parse(String(result.stdout)) as {
      results: Array<{error: null | string; host: string; ok: boolean}>
      summary: {ok: number; unreachable: number}
    }
    expect(document.summary).toMatchObject({ok: 4, unreachable: 1})
    expect(document.results.find((r) => r.host === 'lab5')).toMatchObject({ok: false})
    expect(document.results.find((r) => r.host === 'lab5')?.error).toMatch(/closed|refused|lab/)
    await ensureLabUp()
    expect((await lab(['command', 'lab5', '--', 'true'])).exitCode).toBe(0)
  })

  it('copies a file to every node and back into one directory per node', async () => {
    const local = path.join(work, 'note.txt')
    writeFileSync(local, 'from the operator ✓\n')
    const up = await lab(['cp', local, 'all:/root/'])
    expect(up.exitCode).toBe(0)
    expect((await ssh('lab3', 'cat /root/note.txt')).stdout).toBe('from the operator ✓')
    const down = await lab(['cp', 'slurm_compute:/etc/hostname', path.join(work, 'fetched')])
    expect(down.exitCode).toBe(0)
    for (const node of ['lab1', 'lab2', 'lab3', 'lab4']) {
      expect(readFileSync(path.join(work, 'fetched', node, 'hostname'), 'utf8')).toBe(`${node}\n`)
    }
    const relay = await lab(['cp', 'lab1:/etc/hostname', 'lab2:/root/from-lab1'])
    expect(relay.exitCode).toBe(0)
    expect((await ssh('lab2', 'cat /root/from-lab1')).stdout).toBe('lab1')
    await lab(['command', 'all', '--', 'rm -f /root/note.txt /root/from-lab1'])
  })

  it('broadcasts each line of a shell session to the selected nodes', async () => {
    const {exitCode, stderr, stdout} = await lab(['shell', 'lab1:lab2'], 'cat /etc/hostname\nexit\n')
    expect(exitCode).toBe(0)
    expect(stderr).toContain('WARNING: broadcast mode')
    expect(stdout).toBe('lab1 (1) | rc=0\nlab1\nlab2 (1) | rc=0\nlab2\n')
  })

  it('runs pipe and heredoc from stdin', async () => {
    const piped = await lab(['pipe', 'lab1,lab2'], '# comment\nhostname\n\ntrue\n')
    expect(piped.exitCode).toBe(0)
    expect(piped.stdout).toContain('$ true\nlab1,lab2 (2) | rc=0\n')
    const heredoc = await lab(['heredoc', 'lab3'], 'cd /etc\nbasename "$(pwd)"\n')
    expect(heredoc.stdout).toBe('lab3 (1) | rc=0\netc\n')
  })
})
