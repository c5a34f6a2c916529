import Ping from './ping.js'

/** oclif reads a command's options as own properties, so the inherited ones are restated. */
export default class Uptime extends Ping {
  static override args = Ping.args
  static override description = Ping.description.replace('and runs a trivial command', 'and runs uptime')
  static override examples = ['<%= config.bin %> uptime all', '<%= config.bin %> uptime slurm_compute --json']
  static override flags = Ping.flags
  static override summary = 'Show uptime and load of hosts.'

  protected override remoteCommand = 'uptime'
}
