/**
 * oclif parses flags only after the command name. Operators type `goldentooth -i inventory/lab command all -- hostname`
 * (as with ansible), so global flags given before the command are moved into the environment they also read.
 */
export function hoistLeadingFlags(argv, env) {
  const args = [...argv]
  while (args.length > 0) {
    const [first] = args
    if (first === '-i' || first === '--inventory') {
      if (args.length < 2) break
      env.GOLDENTOOTH_INVENTORY = args[1]
      args.splice(0, 2)
    } else if (first.startsWith('--inventory=')) {
      env.GOLDENTOOTH_INVENTORY = first.slice('--inventory='.length)
      args.shift()
    } else if (first === '--no-color') {
      env.NO_COLOR = '1'
      args.shift()
    } else break
  }
  return args
}
