import {Flags} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {LAB_DEFAULT_INVENTORY, LAB_EXIT_CODES, LAB_PATHS_HELP} from '../../src/lab/help-text.js'

export default class LabUp extends BaseCommand {
  static override summary = 'Boot the lab: a real Debian node (systemd, sshd) per inventory host, on a private network.'
  static override description = `Builds a Debian bookworm base once with debootstrap (cached; rebuilt only when its package list changes),
then boots one systemd-nspawn container per inventory host on its own overlay (2 GiB tmpfs disk), attached to
bridge gtlab0 (10.77.0.1/24) inside network namespace goldentooth-lab. Each node gets its inventory hostname and
address, systemd as PID 1 and sshd with the lab key (and your ~/.ssh/*.pub) for root. Nodes are reached only
through per-node UNIX sockets; nothing routes to 10.77.0.0/24 outside the namespace. apt inside the nodes goes
through a caching proxy (apt-cacher-ng) at 10.77.0.1:3142.

Idempotent: running nodes are left alone, missing ones are booted, leftovers of a crashed run are removed first.
With --nodes N the lab has N nodes (lab1-lab5 as in inventory/lab, then workers lab6…) and its inventory is
written to /run/goldentooth/lab/inventory: use -i /run/goldentooth/lab/inventory with other commands.

${LAB_PATHS_HELP}

${LAB_EXIT_CODES}`
  static override examples = [
    '<%= config.bin %> lab up',
    '<%= config.bin %> lab up --inventory inventory/lab --json',
    '<%= config.bin %> lab up --nodes 20',
  ]
  static override flags = {
    inventory: {...inventoryFlag, default: LAB_DEFAULT_INVENTORY} as typeof inventoryFlag,
    nodes: Flags.integer({
      max: 50,
      min: 1,
      summary: 'Boot N nodes: the lab inventory layout plus workers lab6…labN (10.77.0.16…).',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(LabUp)
    const [{startLab}, {labProgress, labUpRenderer}] = await Promise.all([
      import('../../src/services/lab.js'),
      import('../../src/cli/render/lab.js'),
    ])
    const report = await startLab({inventory: flags.inventory, nodes: flags.nodes, progress: labProgress})
    this.report(report, labUpRenderer)
  }
}
