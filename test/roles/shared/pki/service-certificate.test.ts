import {describe, expect, it} from 'vitest'

import type {CommandResource, FileResource, Resource} from '../../../../src/engine/resources.js'
import type {HostContext} from '../../../../src/engine/role.js'
import type {Inventory} from '../../../../src/inventory/model.js'

import {InvalidInputError} from '../../../../src/core/errors.js'
import {assumedFacts} from '../../../../src/engine/facts.js'
import {resourceId} from '../../../../src/engine/resources.js'
import {Templates} from '../../../../src/engine/templates.js'
import {loadInventory} from '../../../../src/inventory/load.js'
import {
  certificateFindings,
  hostSans,
  serviceCertificate,
} from '../../../../src/roles/shared/pki/service-certificate.js'

function contextFor(inventory: Inventory, host: string): HostContext {
  const vars = inventory.hostVars(host)
  const templates = Templates.forInventory(inventory.baseDir)
  const scope = inventory.templateScope(host)
  return {
    facts: assumedFacts(host, vars),
    factsOf: (other) => assumedFacts(other, inventory.hostVars(other)),
    fetched: () => undefined,
    host,
    inventory,
    operator: {publicKeys: []},
    options: {},
    prepared: undefined,
    secret: () => Buffer.alloc(0),
    sharedTemplate: (path, extra = {}) =>
      templates.render(`shared/${path}`, {lookup: (name) => (name in extra ? extra[name] : scope.lookup(name))}),
    template: () => '',
    vars,
    warn: () => {},
  }
}

const vault = {
  certPath: '/opt/vault/tls/tls.crt',
  commonName: 'vault.service.consul',
  group: 'vault',
  keyPath: '/opt/vault/tls/tls.key',
  lifetime: '24h',
  name: 'vault',
  owner: 'vault',
  reload: {action: 'reload' as const, service: 'vault'},
  sans: ['erenford', 'localhost'],
}

function byId(resources: Resource[], id: string): Resource {
  const found = resources.find((resource) => resourceId(resource) === id)
  if (!found) throw new Error(`no ${id} in ${resources.map(resourceId).join(', ')}`)
  return found
}

describe('serviceCertificate', () => {
  it('plans the tooling, the request, the renewer drop-in and timer, then the certificate', async () => {
    const inventory = await loadInventory('inventory')
    const context = contextFor(inventory, 'erenford')
    const resources = serviceCertificate(context, {...vault, sans: hostSans(context, 'vault.service.consul')})
    expect(resources.map(resourceId)).toEqual([
      'directory:/etc/goldentooth/certificates',
      'file:/usr/local/sbin/goldentooth-cert',
      'file:/etc/systemd/system/cert-renewer@.service',
      'file:/etc/systemd/system/cert-renewer@.timer',
      'file:/etc/goldentooth/certificates/vault.env',
      'directory:/etc/systemd/system/cert-renewer@vault.service.d',
      'file:/etc/systemd/system/cert-renewer@vault.service.d/goldentooth.conf',
      'service:cert-renewer@vault.timer',
      'command:issue certificate vault',
    ])
    const request = (byId(resources, 'file:/etc/goldentooth/certificates/vault.env') as FileResource).content
    expect(request).toContain(
      "SANS='vault.service.consul erenford erenford.nodes.goldentooth.net 10.4.0.14 localhost 127.0.0.1'\n",
    )
    expect(request).toContain(
      'EXPIRES_IN_THRESHOLD=66%\nSERVICE_UNIT=vault.service\nSERVICE_ACTION=try-reload-or-restart\n',
    )
    expect(request).toContain('PROVISIONER_PASSWORD_FILE=/root/.step/jwk_provisioner_password.txt\n')
    const dropIn = (
      byId(resources, 'file:/etc/systemd/system/cert-renewer@vault.service.d/goldentooth.conf') as FileResource
    ).content
    expect(dropIn).toBe(
      '[Service]\nEnvironment=CERT_LOCATION=/opt/vault/tls/tls.crt\nEnvironment=KEY_LOCATION=/opt/vault/tls/tls.key\n' +
        'Environment=EXPIRES_IN_THRESHOLD=66%%\nWorkingDirectory=/opt/vault/tls\n' +
        'ExecStartPost=/usr/bin/chown vault:vault ${CERT_LOCATION} ${KEY_LOCATION}\n' +
        'ExecStartPost=/usr/bin/chmod 0600 ${CERT_LOCATION} ${KEY_LOCATION}\n' +
        "ExecStartPost=/bin/sh -c '! systemctl --quiet is-active vault.service || systemctl try-reload-or-restart vault.service'\n",
    )
    const issue = byId(resources, 'command:issue certificate vault') as CommandResource
    expect(issue.notify).toEqual([vault.reload])
    expect(issue.run).toBe('/usr/local/sbin/goldentooth-cert issue vault')
    expect(issue.unless).toMatch(/^\/usr\/local\/sbin\/goldentooth-cert check vault [0-9a-f]{64}$/)
    const other = serviceCertificate(context, {...vault, sans: ['elsewhere']})
    expect((byId(other, 'command:issue certificate vault') as CommandResource).unless).not.toBe(issue.unless)
  })

  it('refuses at plan time a lifetime beyond the CA maximum, and a renewal window the timer can miss', async () => {
    const inventory = await loadInventory('inventory')
    const context = contextFor(inventory, 'erenford')
    expect(() => serviceCertificate(context, {...vault, lifetime: '8760h'})).toThrow(
      /vault: a lifetime of 8760h is more than the CA's maximum of 168h/,
    )
    expect(() => serviceCertificate(context, {...vault, lifetime: '15m', renewWhenLeft: 0.5})).toThrow(
      InvalidInputError,
    )
    expect(() => serviceCertificate(context, {...vault, name: 'Vault TLS'})).toThrow(/must match/)
    const findings = certificateFindings({hosts: ['erenford', 'fenn'], inventory}, () => [
      {lifetime: '15m', name: 'cert-canary', renewWhenLeft: 0.5},
      {lifetime: '24h', name: 'vault'},
    ])
    expect(findings).toEqual([
      {host: 'erenford', level: 'error', message: expect.stringMatching(/^cert-canary: a 15m certificate .* need 18m/)},
    ])
  })
})
