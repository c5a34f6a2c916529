import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Fleet} from '../support/sshd.js'

import {runCli} from '../support/cli.js'
import {startSshFleet} from '../support/sshd.js'

/** The original CLI's command_all, on two loopback OpenSSH servers: the same as command all. */
let fleet: Fleet
let env: Record<string, string>

beforeAll(async () => {
  fleet = await startSshFleet(2)
  env = {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: path.join(fleet.dir, 'state')}
})
afterAll(async () => fleet?.stopAll())

describe('command_all', () => {
  it('runs the command on every host, as command all does', async () => {
    const all = await runCli(['-i', fleet.inventoryPath, 'command_all', '--', 'echo $GT_HOST is up'], {env})
    const command = await runCli(['-i', fleet.inventoryPath, 'command', 'all', '--', 'echo $GT_HOST is up'], {env})
    expect(all.exitCode).toBe(0)
    expect(all.stdout).toBe('host1 (1) | rc=0\nhost1 is up\nhost2 (1) | rc=0\nhost2 is up\n')
    expect(all.stdout).toBe(command.stdout)
  })

  it('is a usage error without a command', async () => {
    const result = await runCli(['-i', fleet.inventoryPath, 'command_all'], {env})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toBe('goldentooth: no command given\n  hint: usage: goldentooth command_all -- CMD...\n')
  })

  it('is listed in the help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}command_all +Run a command on every host/m)
  })
})
