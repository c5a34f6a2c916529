import {describe, expect, it} from 'vitest'

import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {configureClusterRole as role} from '../../src/roles/configure_cluster/role.js'
import {expectGoldens} from './golden.js'

const operator = {
  publicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoldentoothOperatorKeyForGoldenTests operator@laptop'],
}

describe('configure_cluster renders', () => {
  it('for a Pi 4B 8 GB, a Pi 4B 4 GB, a Pi 5 and the GPU node of the real cluster', async () => {
    const inventory = await loadInventory('inventory')
    const rendered = renderRole(role, inventory, ['bettley', 'karstark', 'manderly', 'velaryon'], {
      operator,
      stateDir: '/nonexistent',
    })
    await expectGoldens('configure_cluster', rendered)
    const bettley = rendered[0]!
    expect(bettley.plan).toContain('service:dphys-swapfile.service')
    expect(rendered[3]!.plan).not.toContain('service:dphys-swapfile.service')
  })

  it('for the lab', async () => {
    const inventory = await loadInventory('inventory/lab')
    const rendered = renderRole(role, inventory, ['lab1'], {operator, stateDir: '/nonexistent'})
    await expectGoldens('configure_cluster', rendered)
    const hosts = rendered[0]!.files.find((file) => file.path === '/etc/hosts')!.content.toString()
    expect(hosts).toMatch(/^10\.77\.0\.11\tlab1\S* lab1$/m)
  })
})
