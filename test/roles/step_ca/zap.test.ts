import {describe, expect, it} from 'vitest'

import {runCli} from '../../support/cli.js'

describe('zap_cluster_ca', () => {
  it('refuses without --confirm and says what it would delete', async () => {
    const run = await runCli(['-i', 'inventory/lab', 'zap_cluster_ca'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain(
      'goldentooth: zap_cluster_ca stops step-ca on lab4 and deletes everything in /etc/step-ca there: the root and ' +
        'intermediate keys and certificates, the SSH host and user CA keys, ca.json and the certificate database.',
    )
    expect(run.stderr).toContain('hint: to do it: goldentooth zap_cluster_ca --confirm lab4')
  })

  it('refuses a --confirm that is not exactly the CA host', async () => {
    for (const [inventory, wrong, ca] of [
      ['inventory/lab', 'lab3', 'lab4'],
      ['inventory', 'JAST', 'jast'],
    ] as const) {
      const run = await runCli(['-i', inventory, 'zap_cluster_ca', '--confirm', wrong, '--json'])
      expect(run.exitCode).toBe(2)
      expect(JSON.parse(run.stdout).error.message).toMatch(
        new RegExp(`^--confirm ${wrong} does not name the CA host \\(${ca}\\)`),
      )
    }
  })
})
