import type {HostContext, Role} from '../../engine/role.js'
import type {Resource} from '../../engine/resources.js'

import {directory, file, packages, service} from '../../engine/resources.js'
import {InvalidInputError} from '../../core/errors.js'
import {clusterName, givenName, hostAddress, hostName, nodeFqdn, setting, settingOf} from '../vars.js'
import meta from './meta.js'

export const KERNEL_MODULES = ['overlay', 'br_netfilter']

/** The sysctls Kubernetes and Nomad bridge networking need. */
export const SYSCTLS: Array<[string, string]> = [
  ['net.bridge.bridge-nf-call-iptables', '1'],
  ['net.bridge.bridge-nf-call-ip6tables', '1'],
  ['net.ipv4.ip_forward', '1'],
]

const DEFAULTS = {
  journald_system_max_use: '200M',
  ntp_fallback_servers: ['0.debian.pool.ntp.org', '1.debian.pool.ntp.org'],
  ntp_servers: ['time.cloudflare.com', 'pool.ntp.org'],
  timezone: 'America/New_York',
}

function clusterHosts(context: HostContext): Array<{address: string; fqdn: string; name: string}> {
  const {inventory} = context
  return [...inventory.hosts.keys()].flatMap((name) => {
    const vars = inventory.hostVars(name)
    const address = hostAddress(vars)
    return address ? [{address, fqdn: nodeFqdn(name, vars), name: hostName(name, vars)}] : []
  })
}

function hostname(context: HostContext): Resource[] {
  const name = hostName(context.host, context.vars)
  return [
    file('/etc/hostname', `${name}\n`),
    {
      id: 'set hostname',
      kind: 'command',
      run: `hostname ${name}`,
      unless: `[ "$(hostname)" = ${name} ]`,
    },
    file('/etc/hosts', context.template('hosts.j2', {cluster_hosts: clusterHosts(context)})),
  ]
}

function time(timezone: string, render: (name: string) => string): Resource[] {
  return [
    packages(['tzdata', 'systemd-timesyncd']),
    {kind: 'symlink', path: '/etc/localtime', target: `/usr/share/zoneinfo/${timezone}`},
    file('/etc/timezone', `${timezone}\n`),
    directory('/etc/systemd/timesyncd.conf.d'),
    file('/etc/systemd/timesyncd.conf.d/goldentooth.conf', render('timesyncd.conf.j2'), {
      notify: [{action: 'restart', service: 'systemd-timesyncd'}],
    }),
    service('systemd-timesyncd'),
  ]
}

function kernel(context: HostContext): Resource[] {
  return [
    file('/etc/modules-load.d/goldentooth.conf', context.template('modules.conf.j2', {kernel_modules: KERNEL_MODULES})),
    ...KERNEL_MODULES.map((name): Resource => ({kind: 'kernel-module', name})),
    file('/etc/sysctl.d/90-goldentooth.conf', context.template('sysctl.conf.j2', {sysctls: SYSCTLS})),
    ...SYSCTLS.map(([name, value]): Resource => ({kind: 'sysctl', name, value})),
  ]
}

function swapOff(context: HostContext): Resource[] {
  const resources: Resource[] = [
    {id: 'swap off', kind: 'command', run: 'swapoff -a', unless: '[ -z "$(swapon --noheadings --show 2>/dev/null)" ]'},
    {
      id: 'no swap in fstab',
      kind: 'command',
      run: String.raw`sed -i -E 's/^([^#].*[[:space:]]swap[[:space:]].*)$/# \1/' /etc/fstab`,
      unless: String.raw`! grep -Eq '^[^#].*[[:space:]]swap[[:space:]]' /etc/fstab`,
    },
  ]
  if (context.inventory.groupNames(context.host).includes('all_pis')) {
    resources.push(service('dphys-swapfile', {enabled: false, state: 'stopped'}))
  }
  return resources
}

/** timezone, else the original's pi.timezone or my.local.timezone: a name under /usr/share/zoneinfo. */
function timezoneOf(context: HostContext): string {
  const names = ['timezone', 'pi.timezone', 'my.local.timezone']
  const timezone = settingOf(context.vars, names, DEFAULTS.timezone)
  if (!/^[A-Za-z][\w+-]*(\/[A-Za-z0-9][\w+-]*)*$/.test(timezone)) {
    throw new InvalidInputError(
      `${givenName(context.vars, names)} must be a zoneinfo name such as Europe/Berlin, not '${timezone}' (${context.host})`,
    )
  }
  return timezone
}

/** root_authorized_keys, else the original's secret_vault.ssh_public_key, else the operator's own public keys. */
function rootKeysOf(context: HostContext): string[] {
  const original = setting(context.vars, 'secret_vault.ssh_public_key', '')
  return setting(context.vars, 'root_authorized_keys', original === '' ? context.operator.publicKeys : [original])
}

function rootKeys(keys: readonly string[]): Resource[] {
  if (keys.length === 0) return []
  return [
    directory('/root/.ssh', {mode: 0o700}),
    ...keys.map((key): Resource => ({
      group: 'root',
      kind: 'line',
      line: key.trim(),
      mode: 0o600,
      owner: 'root',
      path: '/root/.ssh/authorized_keys',
    })),
  ]
}

export const configureClusterRole: Role = {
  description: 'The base every node needs before any service role.',
  hosts: 'all',
  name: meta.name,
  plan(context) {
    const settings = {
      journald_system_max_use: setting(context.vars, 'journald_system_max_use', DEFAULTS.journald_system_max_use),
      ntp_fallback_servers: setting(context.vars, 'ntp_fallback_servers', DEFAULTS.ntp_fallback_servers),
      ntp_servers: setting(context.vars, 'ntp_servers', DEFAULTS.ntp_servers),
    }
    const render = (name: string) => context.template(name, settings)
    const groupsLine = context.inventory
      .groupNames(context.host)
      .filter((group) => !group.startsWith('all'))
      .join(' ')
    return [
      ...hostname(context),
      ...time(timezoneOf(context), render),
      ...kernel(context),
      ...swapOff(context),
      directory('/etc/systemd/journald.conf.d'),
      file('/etc/systemd/journald.conf.d/goldentooth.conf', render('journald.conf.j2'), {
        notify: [{action: 'restart', service: 'systemd-journald'}],
      }),
      file(
        '/etc/motd',
        context.template('motd.j2', {
          cluster_name: clusterName(context.vars),
          groups_line: groupsLine,
          host_name: hostName(context.host, context.vars),
        }),
      ),
      ...rootKeys(rootKeysOf(context)),
    ]
  },
  summary: meta.summary,
}
