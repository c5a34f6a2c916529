import type {HostCheck, HostContext, Suite} from '../model.js'

import {hostMounts, mountUnits} from '../../roles/shared/nfs/mounts.js'
import {shq} from '../../transport/quote.js'
import {portsCheck} from '../ports.js'
import {unitCheck} from '../units.js'
import {fail, pass, probeProblem} from '../verdict.js'

/** The mounts setup_nfs_mounts gives this host, each with its automount unit. */
function nfsMounts(context: HostContext): Array<{automount: string; mount: string; name: string}> {
  return hostMounts(context.inventory, context.host, context.vars).map((mount) => ({
    automount: mountUnits(mount).automount,
    mount: mount.where,
    name: mount.name,
  }))
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
