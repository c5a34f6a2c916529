import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseDocument} from 'yaml'

import {renderRole} from '../../src/engine/render.js'
import {SUITES} from '../../src/health/catalog.js'
import {planHealth} from '../../src/health/plan.js'
import {loadInventory} from '../../src/inventory/load.js'
import {clusterCa} from '../../src/roles/step_ca/roles.js'

const ROOT = '/opt/pki/cluster-root.pem'
const ETC = '/srv/step-ca'

/** The shipped inventory with the CA's paths moved away from every default. */
async function movedPaths() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-settings-source-'))
  cpSync(path.resolve('inventory'), dir, {recursive: true})
  const file = path.join(dir, 'group_vars', 'all.yaml')
  const document = parseDocument(readFileSync(file, 'utf8'))
  document.setIn(['step_ca', 'root_cert_path'], ROOT)
  document.setIn(['step_ca', 'ca', 'etc_path'], ETC)
  document.deleteIn(['step_ca', 'ca', 'config_path'])
  writeFileSync(file, String(document))
  return loadInventory(dir)
}

describe('a health suite reads the settings its role writes', () => {
  it('the step_ca and certificates suites follow step_ca.root_cert_path and step_ca.ca.etc_path', async () => {
    const inventory = await movedPaths()
    const [ca] = inventory.groupHosts('step_ca')
    const node = inventory.groupHosts('all').find((host) => host !== ca)!
    const root = readFileSync(path.resolve('test/fixtures/pki/root_ca.crt'))
    const rendered = renderRole(clusterCa, inventory, [node], {
      fetched: (host, file) => (host === ca && file.endsWith('/root_ca.crt') ? root : undefined),
      operator: {publicKeys: []},
      stateDir: '/nonexistent',
    })
    expect(rendered[0]!.files.map((file) => file.path)).toContain(ROOT)

    const suites = SUITES.filter((suite) => ['certificates', 'step_ca'].includes(suite.name))
    const plan = planHealth(inventory, [ca!, node], suites)
    const scripts = (host: string) =>
      plan.hosts
        .find((hostPlan) => hostPlan.context.host === host)!
        .probes.map((probe) => probe.script)
        .join('\n')
    expect(scripts(node)).toContain(ROOT)
    expect(scripts(ca!)).toContain(ROOT)
    expect(scripts(ca!)).toContain(`${ETC}/`)
    expect(scripts(ca!)).not.toContain('/etc/step-ca/')
  })
})
