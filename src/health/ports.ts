import type {HostCheck, HostContext, Probe} from './model.js'

import {fail, pass, probeProblem} from './verdict.js'

/** Every TCP socket listening on the host (one probe, shared by every ports check). */
export const LISTENING_PROBE: Probe = {script: 'ss -Hltn'}

/** TCP ports with a listener, from `ss -Hltn` (`LISTEN 0 128 10.4.0.11:8500 0.0.0.0:*`). */
export function listeningPorts(text: string): Set<number> {
  const ports = new Set<number>()
  for (const line of text.split('\n')) {
    const local = line.trim().split(/\s+/)[3]
    const port = Number(local?.slice(local.lastIndexOf(':') + 1))
    if (Number.isInteger(port) && port > 0) ports.add(port)
  }
  return ports
}

/** A host check: something listens on each of `ports` (what a service's clients and peers connect to). */
export function portsCheck(
  service: string,
  ports: readonly number[] | ((context: HostContext) => number[]),
  groups: readonly string[],
  name = `ports:${service}`,
): HostCheck {
  const portsOf = (context: HostContext) => (typeof ports === 'function' ? ports(context) : ports)
  return {
    evaluate: ({context, result}) => {
      const wanted = portsOf(context)
      const expected = `listening on TCP ${wanted.join(', ')}`
      const problem = probeProblem(result, 'ss')
      if (problem || !result) return [fail(name, expected, problem ?? 'no result')]
      const open = listeningPorts(result.stdout)
      const missing = wanted.filter((port) => !open.has(port))
      return missing.length === 0
        ? [pass(name, expected, `listening on ${wanted.join(', ')}`)]
        : [
            fail(
              name,
              expected,
              `nothing listens on ${missing.join(', ')}`,
              `is ${service} running and bound to this node's address? ss -ltnp`,
            ),
          ]
    },
    groups,
    name,
    probe: () => LISTENING_PROBE,
    summary: `${service} listens on its TCP ports${typeof ports === 'function' ? '' : ` (${ports.join(', ')})`}`,
  }
}
