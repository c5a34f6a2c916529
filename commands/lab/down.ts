import {BaseCommand} from '../../src/cli/base-command.js'
import {LAB_EXIT_CODES} from '../../src/lab/help-text.js'

export default class LabDown extends BaseCommand {
  static override summary = 'Stop the lab and remove everything lab up created.'
  static override description = `Powers every node off (killed after 30 s), stops the socket forwarders and the apt proxy, unmounts the
overlays and their tmpfs disks, deletes network namespace goldentooth-lab and /run/goldentooth/lab. Only what
lab up recorded is removed; the rootfs cache, the lab key and the apt cache stay. Running it twice is fine.

${LAB_EXIT_CODES}`
  static override examples = ['<%= config.bin %> lab down', '<%= config.bin %> lab down --json']

  async run(): Promise<void> {
    await this.parse(LabDown)
    const [{stopLab}, {labDownRenderer}] = await Promise.all([
      import('../../src/services/lab.js'),
      import('../../src/cli/render/lab.js'),
    ])
    this.report(await stopLab(), labDownRenderer)
  }
}
