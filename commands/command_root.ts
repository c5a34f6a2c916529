import CommandCmd from './command.js'

/** oclif reads a command's options as own properties, so the inherited ones are restated. */
export default class CommandRoot extends CommandCmd {
  static override args = CommandCmd.args
  static override description = CommandCmd.description
  static override examples = [
    "<%= config.bin %> command_root all -- 'apt-get -qq update && apt-get -qy upgrade'",
    '<%= config.bin %> command_root slurm_compute -- systemctl restart slurmd',
  ]
  static override flags = CommandCmd.flags
  static override strict = CommandCmd.strict
  static override summary = 'Run a command on hosts as root (root login, else sudo -n).'

  protected override asRoot = true
}
