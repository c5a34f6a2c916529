import type {Serial} from './role-run.js'

/** Batches of hosts applied one after the other. */
function batches(hosts: readonly string[], serial: Serial | undefined): string[][] {
  if (!serial) return [[...hosts]]
  const size = 'hosts' in serial ? serial.hosts : Math.max(1, Math.floor((hosts.length * serial.percent) / 100))
  const result: string[][] = []
  for (let i = 0; i < hosts.length; i += size) result.push(hosts.slice(i, i + size))
  return result
}

/**
 * The batches a role's targets are applied in: the hosts it applies first, then the others (two waves, in target
 * order), each wave cut into --serial batches.
 */
export function applyBatches(
  targets: readonly string[],
  first: ReadonlySet<string>,
  serial: Serial | undefined,
): string[][] {
  const waves = [targets.filter((host) => first.has(host)), targets.filter((host) => !first.has(host))]
  return waves.flatMap((wave) => (wave.length > 0 ? batches(wave, serial) : []))
}
