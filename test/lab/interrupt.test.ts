import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {spawnCli} from '../support/cli.js'
import {ensureLabUp, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

const NODES = ['lab1', 'lab2', 'lab3', 'lab4', 'lab5']

/**
 * A role interrupted between --serial batches: the batch that runs finishes, no other starts, the hosts left out are
 * reported as not run, and the exit code is 128 + the signal. The MOTD template gets a token of its own, so every node
 * has exactly one change to make and the nodes that made it can be told apart.
 */
describe.skipIf(labUnavailable())('interrupting a role on the lab', () => {
  let templates: string
  beforeAll(async () => {
    await ensureLabUp()
    templates = mkdtempSync(path.join(os.tmpdir(), 'gt-interrupt-'))
    mkdirSync(path.join(templates, 'configure_cluster'))
    expect((await runCli(['-i', 'inventory/lab', 'configure_cluster'])).exitCode).toBe(0)
  })
  afterAll(async () => {
    await runCli(['-i', 'inventory/lab', 'configure_cluster'])
    rmSync(templates, {force: true, recursive: true})
  })

  async function interruptAfterFirstHost(signal: NodeJS.Signals) {
    const token = `interrupt-token-${signal}-${Date.now()}`
    const motd = readFileSync(path.join(REPO, 'templates/configure_cluster/motd.j2'), 'utf8')
    writeFileSync(path.join(templates, 'configure_cluster/motd.j2'), `${motd}${token}\n`)
    const child = spawnCli(['-i', 'inventory/lab', 'configure_cluster', '--serial', '1', '--templates', templates])
    let stderr = ''
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/^lab1: /m.test(stderr)) resolve()
      })
    })
    child.kill(signal)
    const result = await child
    const carrying = []
    for (const node of NODES)
      if ((await ssh(node, `grep -c ${token} /etc/motd`)).stdout.trim() === '1') carrying.push(node)
    return {carrying, result, stderr: String(result.stderr)}
  }

  it('Ctrl-C lets the running batch finish, starts no other, reports the rest as not run, exits 130', async () => {
    const {carrying, result, stderr} = await interruptAfterFirstHost('SIGINT')
    expect(result.exitCode).toBe(130)
    expect(stderr).toContain('interrupting: no new hosts or roles start; running applies finish')
    const notRun = NODES.filter((node) => new RegExp(`^${node}: failed: not run: interrupted$`, 'm').test(stderr))
    expect(notRun.length).toBeGreaterThanOrEqual(3)
    expect(carrying).toEqual(NODES.filter((node) => !notRun.includes(node)))
    expect(carrying[0]).toBe('lab1')
    expect(String(result.stdout)).toMatch(/5 host\(s\): \d changed, 0 unchanged, \d failed, 0 unreachable/)
  })

  it('SIGTERM does the same and exits 143', async () => {
    const {carrying, result, stderr} = await interruptAfterFirstHost('SIGTERM')
    expect(result.exitCode).toBe(143)
    expect(stderr).toContain('SIGTERM: interrupting')
    expect(carrying.length).toBeLessThanOrEqual(2)
  })
})
