/**
 * oclif parses flags only after the command name. Operators type `goldentooth -i inventory/lab command all -- hostname`
 * (as with ansible), so global flags given before the command are moved into the environment they also read.
 */
const VALUED = {
  '-i': 'GOLDENTOOTH_INVENTORY',
  '--inventory': 'GOLDENTOOTH_INVENTORY',
  '--vault-password-file': 'ANSIBLE_VAULT_PASSWORD_FILE',
}

export function hoistLeadingFlags(argv, env) {
  const args = [...argv]
  while (args.length > 0) {
    const [first] = args
    const [name, inline] = first.startsWith('--') && first.includes('=') ? first.split(/=(.*)/s) : [first]
    if (name in VALUED) {
      if (inline !== undefined) {
        env[VALUED[name]] = inline
        args.shift()
      } else {
        if (args.length < 2) break
        env[VALUED[name]] = args[1]
        args.splice(0, 2)
      }
    } else if (first === '--no-color') {
      env.NO_COLOR = '1'
      args.shift()
    } else break
  }
  return args
}
