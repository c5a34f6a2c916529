import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Role} from '../../src/engine/role.js'

import {renderRole} from '../../src/engine/render.js'
import {validateRendered} from '../../src/engine/validate.js'
import {loadInventory} from '../../src/inventory/load.js'
import {certCanaryRole as certCanary} from '../../src/roles/cert_canary/role.js'
import {sshCertificates} from '../../src/roles/ssh_certificates/roles.js'
import {clusterCa, stepCa, stepCaService} from '../../src/roles/step_ca/roles.js'
import {runCli} from '../support/cli.js'
import {expectGoldens} from './golden.js'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'pki')
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name))
const operator = {publicKeys: []}

/** What the probe would fetch from an initialised CA (its root, ca.json, SSH CA keys). */
function caFiles(host: string, file: string): Buffer | undefined {
  if (!['jast', 'lab4'].includes(host)) return undefined
  const name = path.basename(file)
  return ['ca.json', 'root_ca.crt', 'ssh_host_ca_key.pub', 'ssh_user_ca_key.pub'].includes(name)
    ? fixture(name)
    : undefined
}

async function render(role: Role, inventoryPath: string, hosts: string[]) {
  const inventory = await loadInventory(inventoryPath)
  return renderRole(role, inventory, hosts, {fetched: caFiles, operator, stateDir: '/nonexistent'})
}

function content(rendered: Awaited<ReturnType<typeof render>>, host: string, file: string): string {
  const found = rendered.find((h) => h.host === host)?.files.find((f) => f.path === file)
  if (!found) throw new Error(`${host} renders no ${file}`)
  return found.content.toString('utf8')
}

describe('cluster PKI renders', () => {
  it('the CA host of the real cluster (jast) and of the lab (lab4)', async () => {
    for (const [inventory, host] of [
      ['inventory', 'jast'],
      ['inventory/lab', 'lab4'],
    ] as const) {
      const init = await render(stepCa, inventory, [host])
      await expectGoldens('step_ca', init)
      expect(init[0]!.plan).toEqual([
        'artifact:/usr/local/bin/step-ca',
        'artifact:/usr/local/bin/step',
        'group:step',
        'user:step',
        'directory:/etc/step-ca',
        'directory:/etc/step-ca/db',
        'file:/etc/step-ca/.password_intermediate.txt',
        'file:/etc/step-ca/.password_jwk_provisioner.txt',
        'command:step ca init',
      ])
      expect(init[0]!.files.every((file) => file.secret && file.mode === 0o600 && file.owner === 'step')).toBe(true)
      const service = await render(stepCaService, inventory, [host])
      await expectGoldens('step_ca_service', service)
      const unit = content(service, host, '/etc/systemd/system/step-ca.service')
      expect(unit).toContain(
        'ExecStart=/usr/local/bin/step-ca /etc/step-ca/config/ca.json --password-file /etc/step-ca/.password_intermediate.txt',
      )
      expect(unit).toContain('ConditionFileNotEmpty=/etc/step-ca/config/ca.json')
      expect(unit).toContain('ReadWritePaths=/etc/step-ca/db')
      expect(service[0]!.plan).toContain('file:/etc/step-ca/config/ca.json')
    }
  })

  it('every node: the root trusted and step bootstrapped (a server, a client, the GPU node, the CA host)', async () => {
    const rendered = await render(clusterCa, 'inventory', ['jast', 'erenford', 'karstark', 'velaryon'])
    await expectGoldens('cluster_ca', rendered)
    await expectGoldens('cluster_ca', await render(clusterCa, 'inventory/lab', ['lab1', 'lab5']))
    const defaults = JSON.parse(content(rendered, 'velaryon', '/root/.step/config/defaults.json')) as Record<
      string,
      string
    >
    expect(defaults).toEqual({
      'ca-url': 'https://10.4.0.19:9443',
      fingerprint: 'b6296528cd93850af8fd294bed0759345de575526e43b2da72ee68db4efb5681',
      root: '/root/.step/certs/root_ca.crt',
    })
    expect(content(rendered, 'karstark', '/usr/local/share/ca-certificates/goldentooth.crt')).toBe(
      fixture('root_ca.crt').toString(),
    )
    const renewer = content(rendered, 'erenford', '/etc/systemd/system/cert-renewer@.service')
    expect(renewer).toContain('Environment=EXPIRES_IN_THRESHOLD=66%%')
    expect(renewer).toContain('Environment=STEPPATH=/root/.step')
    expect(content(rendered, 'erenford', '/etc/systemd/system/cert-renewer@.timer')).toContain('OnCalendar=*:1/5')
    const password = rendered[0]!.files.find((f) => f.path === '/root/.step/jwk_provisioner_password.txt')!
    expect(password).toMatchObject({mode: 0o600, owner: 'root', secret: true})
    const validations = await validateRendered(rendered)
    expect(validations.length).toBeGreaterThan(0)
    expect(validations.flatMap((v) => v.errors)).toEqual([])
  })

  it('SSH certificates: step-ca signing units on the real cluster, the sshd block everywhere', async () => {
    const rendered = await render(sshCertificates, 'inventory', ['jast', 'erenford', 'velaryon'])
    await expectGoldens('ssh_certificates', rendered)
    const tool = content(rendered, 'velaryon', '/usr/local/sbin/goldentooth-ssh-cert')
    expect(tool).toContain(
      "host) key=/etc/ssh/ssh_host_ed25519_key.pub cert=/etc/ssh/ssh_host_ed25519_key-cert.pub id=velaryon principals='velaryon velaryon.nodes.goldentooth.net velaryon.goldentooth.net 10.4.0.30' flag=--host ;;",
    )
    expect(content(rendered, 'jast', '/etc/ssh/sshd_config')).toBe(
      '# BEGIN goldentooth ssh certificates\nHostCertificate /etc/ssh/ssh_host_ed25519_key-cert.pub\n' +
        'TrustedUserCAKeys /etc/ssh/ssh_user_ca.pub\n# END goldentooth ssh certificates\n',
    )
    expect(content(rendered, 'jast', '/etc/ssh/ssh_known_hosts')).toMatch(
      /^@cert-authority \*\.goldentooth\.net,allyrion,10\.4\.0\.10,.*,velaryon,10\.4\.0\.30 ssh-ed25519 \S+ goldentooth-ssh-host-ca\n$/,
    )
    expect((await validateRendered(rendered)).flatMap((v) => v.errors)).toEqual([])
    const lab = await render(sshCertificates, 'inventory/lab', ['lab1'])
    expect(lab[0]!.plan).toEqual(['block:/etc/ssh/sshd_config#goldentooth ssh certificates'])
    expect(lab[0]!.warnings).toEqual([
      "certificates are signed by the operator's SSH CA when the role runs; rendered without them",
    ])
  })

  it('the renewal canary', async () => {
    const rendered = await render(certCanary, 'inventory', ['jast'])
    await expectGoldens('cert_canary', rendered)
    expect(content(rendered, 'jast', '/etc/goldentooth/certificates/cert-canary.env')).toContain('LIFETIME=1h\n')
  })

  it('goldentooth validate passes for the shipped and the lab inventory', async () => {
    for (const inventory of ['inventory', 'inventory/lab']) {
      for (const role of ['setup_step_ca', 'setup_ssh_certificates', 'setup_cert_canary']) {
        const run = await runCli(['-i', inventory, 'validate', role])
        expect(run.exitCode, `${inventory} ${role}: ${run.stdout}${run.stderr}`).toBe(0)
      }
    }
  })
})
