import type {Inventory} from '../inventory/model.js'

import {assumedFacts, type Facts} from './facts.js'

const OS_FAMILY: Record<string, string> = {debian: 'Debian', raspbian: 'Debian', ubuntu: 'Debian'}

/**
 * The facts the probe gathers, under the names Ansible's setup module gives them (the subset inventories use).
 * ansible_default_ipv4 is the first IPv4 address outside loopback: the probe does not read the routing table.
 */
export function ansibleFacts(facts: Facts): Record<string, unknown> {
  const ipv4 = facts.addresses.filter((address) => address.family === 'inet' && !address.address.startsWith('127.'))
  const ipv6 = facts.addresses.filter((address) => address.family === 'inet6' && address.address !== '::1')
  const primary = ipv4[0]
  const distribution = facts.os.id.charAt(0).toUpperCase() + facts.os.id.slice(1)
  return {
    ansible_all_ipv4_addresses: ipv4.map((address) => address.address),
    ansible_all_ipv6_addresses: ipv6.map((address) => address.address),
    ansible_architecture: facts.machine,
    ansible_date_time: {epoch: String(facts.now)},
    ansible_default_ipv4: primary
      ? {address: primary.address, alias: primary.ifname, interface: primary.ifname, prefix: String(primary.prefixlen)}
      : {},
    ansible_distribution: distribution,
    ansible_distribution_major_version: facts.os.versionId.split('.')[0] ?? '',
    ansible_distribution_release: facts.os.codename,
    ansible_distribution_version: facts.os.versionId,
    ansible_fqdn: facts.fqdn,
    ansible_hostname: facts.hostname,
    ansible_kernel: facts.kernel,
    ansible_machine: facts.machine,
    ansible_memtotal_mb: facts.memoryMb,
    ansible_nodename: facts.hostname,
    ansible_os_family: OS_FAMILY[facts.os.id] ?? distribution,
    ansible_processor_cores: facts.coresPerSocket,
    ansible_processor_count: facts.sockets,
    ansible_processor_threads_per_core: facts.threadsPerCore,
    ansible_processor_vcpus: facts.cpus,
    ansible_virtualization_type: facts.virtualization,
  }
}

/**
 * The inventory whose templates see facts under Ansible's names: the probed ones where a host was probed, else the
 * facts render assumes for it (the inventory's `assumed_facts`, or defaults).
 */
export function withHostFacts(inventory: Inventory, probed: ReadonlyMap<string, Facts> = new Map()): Inventory {
  return inventory.withFacts((host) => ansibleFacts(probed.get(host) ?? assumedFacts(host, inventory.hostVars(host))))
}
