import {describe, expect, it} from 'vitest'

import {runCli} from '../support/cli.js'

describe('help', () => {
  it('help setup_<role> shows the summary once, prose as paragraphs, and the examples', async () => {
    const {exitCode, stdout} = await runCli(['help', 'setup_slurm'])
    expect(exitCode).toBe(0)
    expect(stdout.match(/Slurm with MUNGE/g)).toHaveLength(1)
    expect(stdout).toContain('$ goldentooth setup_slurm --check --diff\n')
    expect(stdout).toMatch(/Each host costs one probe round trip \(facts and the state of/)
    expect(stdout).toMatch(/^ {2}143 {2}terminated by SIGTERM/m)
  })

  it('--help of a command shows its summary once and its output options', async () => {
    const {stdout} = await runCli(['command', '--help'])
    expect(stdout.match(/Run a command on hosts as the login user\./g)).toHaveLength(1)
    expect(stdout).toMatch(/--max-output=<value>\s+\[default: 4M\]/)
    expect(stdout).toContain('--raw')
  })
})

describe('flags are checked before any host is contacted', () => {
  it('--serial abc is a usage error naming the flag, and no host appears in the output', async () => {
    const {exitCode, stderr, stdout} = await runCli(['-i', 'inventory/lab', 'configure_cluster', '--serial', 'abc'])
    expect(exitCode).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      "goldentooth: --serial: expected a number of hosts or a percentage, not 'abc'\n  hint: e.g. --serial 1 or --serial 30%\n",
    )
  })
})
