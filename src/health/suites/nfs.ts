import type {HostCheck, HostContext, Suite} from '../model.js'

import {mountUnitName} from '../../engine/systemd-escape.js'
import {shq} from '../../transport/quote.js'
import {portsCheck} from '../ports.js'
import {varRecord} from '../service-vars.js'
import {unitCheck} from '../units.js'
import {fail, pass, probeProblem} from '../verdict.js'

interface NfsMount {
  name: string
  mount: string
  automount: string
}

/** `nfs.mounts` from the inventory: each share is automounted on every node, its unit named after the mount point. */
export function nfsMounts(context: HostContext): NfsMount[] {
  return Object.entries(varRecord(context, ['nfs', 'mounts'])).flatMap(([name, value]) => {
    const {mount} = (value ?? {}) as {mount?: unknown}
    return typeof mount === 'string' && mount.startsWith('/')
      ? [{automount: mountUnitName(mount, 'automount'), mount, name}]
      : []
  })
}

const exported: HostCheck = {
  evaluate: ({result}) => {
    const expected = 'exportfs lists at least one export'
    const problem = probeProblem(result, 'exportfs')
    if (problem || !result) return [fail('exports', expected, problem ?? 'no result')]
    const lines = result.stdout.split('\n').filter((line) => line.trim() !== '')
    return lines.length > 0
      ? [pass('exports', expected, lines.join('; '))]
      : [fail('exports', expected, 'nothing exported', 'goldentooth setup_nfs_exports; exportfs -ra')]
  },
  groups: ['nfs_server'],
  name: 'exports',
  probe: () => ({script: 'exportfs -s'}),
  summary: 'The NFS server exports its shares',
}

const mounts: HostCheck = {
  evaluate: ({context, result}) => {
    const wanted = nfsMounts(context)
    if (wanted.length === 0) return []
    const problem = probeProblem(result, 'systemctl')
    if (problem || !result) return [fail('mounts', 'NFS mounts usable', problem ?? 'no result')]
    const seen = new Map(
      result.stdout
        .split('\n')
        .map((line) => line.split(' '))
        .filter((fields) => fields[0] === 'mount')
        .map(([, name = '', automount = '', listable = '']) => [name, {automount, listable}]),
    )
    return wanted.map((mount) => {
      const name = `mount:${mount.mount}`
      const expected = `${mount.automount} active and ${mount.mount} listable`
      const state = seen.get(mount.name)
      const observed = `automount ${state?.automount || 'unknown'}, ${state?.listable || 'not checked'}`
      return state?.automount === 'active' && state.listable === 'listable'
        ? pass(name, expected, observed)
        : fail(name, expected, observed, `systemctl status ${mount.automount}; showmount -e on the server`)
    })
  },
  groups: ['all'],
  name: 'mount:PATH',
  probe: (context) => ({
    script: nfsMounts(context)
      .map(
        (mount) =>
          `printf 'mount %s %s %s\\n' ${shq(mount.name)} "$(systemctl is-active ${shq(mount.automount)})" "$(timeout 4 ls -A ${shq(mount.mount)} >/dev/null 2>&1 && echo listable || echo unlistable)"`,
      )
      .concat('true')
      .join('\n'),
  }),
  summary: 'Every share in nfs.mounts is automounted and listable',
}

export const NFS: Suite = {
  clusterChecks: [],
  hostChecks: [unitCheck('nfs-server', ['nfs_server']), portsCheck('nfs', [2049], ['nfs_server']), exported, mounts],
  name: 'nfs',
  summary: 'NFS servers exporting; every node with its automounted shares listable.',
}
