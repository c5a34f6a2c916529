import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

/**
 * A large inventory written the way Ansible users write one: hosts.yaml with nested groups (datacenters → racks,
 * roles, environments), group_vars/ (files and a directory per datacenter), and host_vars/ with one file per host.
 *
 * Host i is `nNNNNN` in rack `rack_RRR` (50 hosts a rack), datacenter `dc_{rack % 4}`, role `ROLES[i % 4]`; dc_0 and
 * dc_1 are `prod`, the others `staging`; every 20th db host is also in `db_primary`; every 100th host is in no group.
 */
export const ROLES = ['web', 'db', 'cache', 'batch'] as const
const RACK_SIZE = 50

export const hostName = (i: number): string => `n${String(i).padStart(5, '0')}`
export const rackOf = (i: number): string => `rack_${String(Math.floor(i / RACK_SIZE)).padStart(3, '0')}`
export const dcOf = (i: number): string => `dc_${Math.floor(i / RACK_SIZE) % 4}`
export const isUngrouped = (i: number): boolean => i % 100 === 99
export const isDbPrimary = (i: number): boolean => i % 80 === 1

export const addressOf = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`

function hostsFile(count: number): string {
  const racks = new Map<string, number[]>()
  const roles = new Map<string, number[]>(ROLES.map((role) => [role, []]))
  const ungrouped: number[] = []
  for (let i = 0; i < count; i++) {
    if (isUngrouped(i)) {
      ungrouped.push(i)
      continue
    }
    racks.set(rackOf(i), [...(racks.get(rackOf(i)) ?? []), i])
    roles.get(ROLES[i % 4]!)!.push(i)
  }
  const hostList = (indent: string, hosts: number[]): string[] => hosts.map((i) => `${indent}${hostName(i)}:`)
  const lines = ['all:', '  hosts:', ...hostList('    ', ungrouped), '  children:']
  for (const env of ['prod', 'staging']) {
    lines.push(`    ${env}:`, '      children:')
    for (const dc of env === 'prod' ? ['dc_0', 'dc_1'] : ['dc_2', 'dc_3']) {
      lines.push(`        ${dc}:`, '          children:')
      for (const [rack, hosts] of racks) {
        if (dcOf(hosts[0]!) !== dc) continue
        const rackVars = ['              vars:', `                rack_id: ${Number(rack.slice(5))}`]
        lines.push(`            ${rack}:`, ...rackVars, '              hosts:')
        lines.push(...hostList('                ', hosts))
      }
    }
  }
  for (const [role, hosts] of roles) {
    lines.push(`    ${role}:`, '      hosts:')
    for (const i of hosts) {
      lines.push(`        ${hostName(i)}:`)
      if (i % 10 === 3) lines.push(`          inline_note: from hosts.yaml ${i}`)
    }
    if (role === 'db') {
      lines.push('      children:', '        db_primary:', '          hosts:')
      lines.push(...hostList('            ', hosts.filter(isDbPrimary)))
    }
  }
  return `${lines.join('\n')}\n`
}

const ALL_VARS = `defaults: &defaults
  ntp_servers: [ntp1.example.net, ntp2.example.net]
  timezone: UTC
  log_level: info
ansible_user: ops
ansible_port: 22
<<: *defaults
monitoring:
  enabled: true
  endpoints:
    - https://metrics.example.net
`

function hostVarsFile(i: number): string {
  const lines = [
    `ansible_host: ${addressOf(i)}`,
    `host_index: ${i}`,
    `serial: 'SN-${i.toString(16)}'`,
    'disks:',
    `  - {device: /dev/sda, size_gb: ${100 + (i % 7) * 10}}`,
    '  - {device: /dev/sdb, size_gb: 500}',
  ]
  if (i % 5 === 0) lines.push('log_level: debug')
  return `${lines.join('\n')}\n`
}

/** Write a generated inventory of `count` hosts into `dir` (which must exist). */
export async function writeGeneratedInventory(dir: string, count: number): Promise<void> {
  const groupVars = path.join(dir, 'group_vars')
  const hostVars = path.join(dir, 'host_vars')
  await mkdir(hostVars, {recursive: true})
  for (let dc = 0; dc < 4; dc++) await mkdir(path.join(groupVars, `dc_${dc}`), {recursive: true})
  await writeFile(path.join(dir, 'hosts.yaml'), hostsFile(count))
  await writeFile(path.join(groupVars, 'all.yml'), ALL_VARS)
  await writeFile(path.join(groupVars, 'prod.yml'), 'env: prod\nlog_level: warning\n')
  await writeFile(path.join(groupVars, 'staging.yml'), 'env: staging\n')
  await writeFile(path.join(groupVars, 'db.yaml'), 'role: db\nbackup: {schedule: daily, keep: 7}\n')
  await writeFile(path.join(groupVars, 'db_primary.yml'), 'role: db-primary\n')
  for (const role of ROLES.filter((r) => r !== 'db')) {
    await writeFile(path.join(groupVars, `${role}.yml`), `role: ${role}\n`)
  }
  for (let dc = 0; dc < 4; dc++) {
    const files = {'main.yml': `datacenter: dc${dc}\n`, 'network.yml': `gateway: 10.${dc}.0.1\n`}
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(groupVars, `dc_${dc}`, name), text)
  }
  for (let i = 0; i < count; i++) await writeFile(path.join(hostVars, `${hostName(i)}.yml`), hostVarsFile(i))
}
