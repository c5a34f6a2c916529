import {execFile} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {startSshFleet} from './sshd.js'

const running = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))

describe('startSshFleet', () => {
  it('starts fleets side by side on distinct ports, writes their files, and leaves nothing running', async () => {
    const fleets = await Promise.all([startSshFleet(3, {unreachable: 'ghost'}), startSshFleet(3)])
    const pids = fleets.flatMap((fleet) => fleet.hosts.map((host) => host.pid))
    const endpoints = fleets.flatMap((fleet) => fleet.hosts.map((host) => `${host.address}:${host.port}`))
    expect(new Set(endpoints).size).toBe(6)
    expect(pids.every(running)).toBe(true)
    const first = fleets[0]
    const inventory = parse(readFileSync(first.inventoryPath, 'utf8')) as {all: {hosts: Record<string, unknown>}}
    expect(Object.keys(inventory.all.hosts)).toEqual(['host1', 'host2', 'host3', 'ghost'])
    expect(readFileSync(first.sshConfigPath, 'utf8')).toContain(
      `Host host2\n  HostName 127.0.0.12\n  Port ${first.host('host2').port}`,
    )
    expect(readFileSync(first.knownHostsPath, 'utf8').trim().split('\n')).toHaveLength(3)
    await Promise.all(fleets.map((fleet) => fleet.stopAll()))
    expect(pids.some(running)).toBe(false)
    expect(fleets.some((fleet) => existsSync(fleet.dir))).toBe(false)
  })

  it('takes its servers down when the process that started them exits or is killed', async () => {
    const sshd = fileURLToPath(new URL('./sshd.ts', import.meta.url))
    for (const ending of ['process.exit(0)', "process.kill(process.pid, 'SIGKILL')"]) {
      const script = join(fileURLToPath(new URL('.', import.meta.url)), `.fleet-orphan-${process.pid}.mts`)
      writeFileSync(
        script,
        `import {startSshFleet} from ${JSON.stringify(sshd)}
const fleet = await startSshFleet(2)
process.stdout.write(JSON.stringify({dir: fleet.dir, pids: fleet.hosts.map((h) => h.pid)}) + '\\n')
${ending}
`,
      )
      try {
        const stdout = await new Promise<string>((resolve) =>
          execFile('node', ['--import', 'tsx', script], (_, out) => resolve(out)),
        )
        const {dir, pids} = JSON.parse(stdout) as {dir: string; pids: number[]}
        expect(pids).toHaveLength(2)
        for (let i = 0; i < 50 && pids.some(running); i++) await new Promise((resolve) => setTimeout(resolve, 100))
        expect(pids.some(running)).toBe(false)
        if (ending.startsWith('process.exit')) expect(existsSync(dir)).toBe(false)
        rmSync(dir, {recursive: true, force: true})
      } finally {
        rmSync(script, {force: true})
      }
    }
  })
})
