import type {Resource} from '../../engine/resources.js'
import type {HostContext, Role} from '../../engine/role.js'
import type {NfsMount} from '../shared/nfs/mounts.js'

import {isContainer} from '../../engine/compare.js'
import {file, packages, service} from '../../engine/resources.js'
import {kernelFetches, kernelLacks} from '../shared/nfs/kernel.js'
import {hostMounts, isNfs, mountUnits} from '../shared/nfs/mounts.js'
import meta from './meta.js'

function units(context: HostContext, mount: NfsMount, automount: boolean): Resource[] {
  const names = mountUnits(mount)
  const vars = {
    automount_unit: names.automount,
    idle_timeout: mount.idleTimeout,
    name: mount.name,
    options: mount.options,
    type: mount.type,
    what: mount.what,
    where: mount.where,
  }
  return [
    file(`/etc/systemd/system/${names.mount}`, context.template('mount.j2', vars), {
      notify: [{action: 'restart', service: names.mount}],
    }),
    file(`/etc/systemd/system/${names.automount}`, context.template('automount.j2', vars), {
      notify: [{action: 'restart', service: names.automount}],
    }),
    ...(automount ? [service(names.automount)] : []),
  ]
}

export const nfsMountsRole: Role = {
  description:
    'On every host, one .mount and one .automount unit per nfs.mounts entry, named by systemd’s escaping rules; ' +
    'each entry names its own server (or, as in the original, a share of <address>:<path>). A server does not mount ' +
    'its own share over the exported directory.',
  fetch: (_inventory, hosts) => kernelFetches(hosts),
  hosts: 'all',
  name: meta.name,
  plan(context) {
    const mounts = hostMounts(context.inventory, context.host, context.vars)
    for (const mount of mounts.filter((entry) => entry.optionsLeftOut.length > 0)) {
      context.warn(`nfs.mounts.${mount.name}.options: left out ${mount.optionsLeftOut.join('; ')}`)
    }
    const nfs = mounts.filter((mount) => isNfs(mount))
    for (const type of new Set(nfs.map((mount) => mount.type))) {
      const why = kernelLacks(context.facts, (path) => context.fetched(context.host, path), type)
      if (why) context.warn(`${why}: the ${type} automounts are installed, but mounting will fail here`)
    }
    const automount = !isContainer(context.facts.virtualization)
    if (!automount && mounts.length > 0) {
      context.warn(
        `systemd runs no automount units in a ${context.facts.virtualization} container (no /dev/autofs): the units are installed, not started`,
      )
    }
    return [
      ...(nfs.length > 0 ? [packages(['nfs-common'])] : []),
      ...mounts.flatMap((mount) => units(context, mount, automount)),
    ]
  },
  summary: meta.summary,
}
