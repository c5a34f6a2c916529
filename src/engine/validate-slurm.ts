import type {Validator} from './validator.js'

interface Line {
  fields: Map<string, string>
  number: number
}

const NODE_NUMBERS = ['CPUs', 'Sockets', 'CoresPerSocket', 'ThreadsPerCore', 'RealMemory']

function parse(text: string, problems: string[]): Line[] {
  const lines: Line[] = []
  text.split('\n').forEach((raw, index) => {
    const content = raw.replace(/#.*$/, '').trim()
    if (content === '') return
    const fields = new Map<string, string>()
    for (const token of content.split(/\s+/)) {
      const match = /^([A-Za-z][\w]*)=(.*)$/.exec(token)
      if (match) fields.set(match[1]!, match[2]!)
      else problems.push(`line ${index + 1}: '${token}' is not Key=Value`)
    }
    lines.push({fields, number: index + 1})
  })
  return lines
}

/**
 * What Slurm would refuse or silently change in a slurm.conf: missing controller, cluster or auth settings, node lines
 * whose CPUs are not Sockets × CoresPerSocket × ThreadsPerCore (slurmctld resets them), non-numeric sizes, duplicate
 * nodes, Gres without GresTypes, partitions naming unknown nodes, more than one default partition.
 */
export function slurmConfProblems(text: string): string[] {
  const problems: string[] = []
  const lines = parse(text, problems)
  const first = (line: Line) => [...line.fields.keys()][0]
  const global = new Map(lines.filter((line) => line.fields.size === 1).flatMap((line) => [...line.fields]))
  for (const key of ['ClusterName', 'AuthType']) if (!global.has(key)) problems.push(`${key} is not set`)
  if (!lines.some((line) => first(line) === 'SlurmctldHost')) problems.push('no SlurmctldHost line')
  const gresTypes = (global.get('GresTypes') ?? '').split(',')
  const nodes = new Set<string>()
  for (const line of lines.filter((l) => first(l) === 'NodeName' && l.fields.get('NodeName') !== 'DEFAULT')) {
    const name = line.fields.get('NodeName')!
    const at = `line ${line.number} (${name})`
    if (nodes.has(name)) problems.push(`${at}: node defined twice`)
    nodes.add(name)
    const numbers = new Map<string, number>()
    for (const key of NODE_NUMBERS) {
      const value = line.fields.get(key)
      if (value === undefined) continue
      if (!/^[1-9]\d*$/.test(value)) problems.push(`${at}: ${key}=${value} is not a positive whole number`)
      numbers.set(key, Number(value))
    }
    const [cpus, sockets, cores, threads] = ['CPUs', 'Sockets', 'CoresPerSocket', 'ThreadsPerCore'].map((k) =>
      numbers.get(k),
    )
    if (cpus && sockets && cores && threads && cpus !== sockets * cores * threads) {
      problems.push(`${at}: CPUs=${cpus} but Sockets × CoresPerSocket × ThreadsPerCore = ${sockets * cores * threads}`)
    }
    for (const gres of (line.fields.get('Gres') ?? '').split(',').filter(Boolean)) {
      const type = gres.split(':')[0]!
      if (!gresTypes.includes(type)) problems.push(`${at}: Gres=${gres} but GresTypes does not list ${type}`)
    }
  }
  const partitions = lines.filter((l) => first(l) === 'PartitionName' && l.fields.get('PartitionName') !== 'DEFAULT')
  for (const line of partitions) {
    const members = line.fields.get('Nodes') ?? ''
    for (const node of members.split(',').filter((n) => n !== '' && n !== 'ALL' && !n.includes('['))) {
      if (!nodes.has(node)) problems.push(`line ${line.number}: partition names unknown node ${node}`)
    }
  }
  const defaults = partitions.filter((line) => line.fields.get('Default')?.toUpperCase() === 'YES')
  if (defaults.length > 1) {
    problems.push(`more than one default partition (lines ${defaults.map((line) => line.number).join(', ')})`)
  }
  return problems
}

export const slurmConfCheck: Validator = {
  applies: (file) => file.path === '/etc/slurm/slurm.conf' && !file.partial,
  name: 'slurm.conf check',
  async run(files, hosts) {
    return files.map((file) => ({
      errors: slurmConfProblems(file.content.toString('utf8')),
      file: file.path,
      hosts,
      notes: [],
      validator: this.name,
    }))
  },
}
