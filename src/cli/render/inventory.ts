import {stringify} from 'yaml'

import type {Evaluation} from '../../inventory/evaluate.js'
import type {GroupSummary} from '../../inventory/report.js'
import type {ShowReport} from '../../services/inventory.js'
import type {Renderer} from '../renderer.js'

import {EXIT} from '../../core/exit-codes.js'
import {color} from '../../output/color.js'
import {errorText} from '../renderer.js'

const lines = (texts: readonly string[]) => `${texts.join('\n')}\n`

/** One host per line. */
export const hostsRenderer: Renderer<{hosts: string[]}> = {text: ({hosts}) => ({stdout: lines(hosts)})}

/** YAML (one host's variables, or every host's by name); variables that could not be templated on stderr, exit 3. */
export const showRenderer: Renderer<ShowReport> = {
  exitCode: (report) => (report.failed.length > 0 ? EXIT.invalid : EXIT.ok),
  json: ({hosts}) => ({hosts}),
  text: ({failed, host, hosts}) => ({
    stderr: failed.map((problem) => errorText({message: problem})).join(''),
    stdout: lines([stringify(host === undefined ? hosts : hosts[host], {lineWidth: 0}).trimEnd()]),
  }),
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2)
}

/** Hosts with the same outcome folded (`a,b (2) | ok`, then the value); exit 3 when it failed anywhere. */
export const evalRenderer: Renderer<{results: Evaluation[]}> = {
  exitCode: ({results}) => (results.some((result) => !result.ok) ? EXIT.invalid : EXIT.ok),
  text: ({results}) => {
    const blocks = new Map<string, {hosts: string[]; result: Evaluation}>()
    for (const result of results) {
      const key = JSON.stringify(result.ok ? [true, result.value] : [false, result.error])
      const block = blocks.get(key)
      if (block) block.hosts.push(result.host)
      else blocks.set(key, {hosts: [result.host], result})
    }
    const text = [...blocks.values()].map(({hosts, result}) => {
      const header = `${color.bold(hosts.join(','))} (${hosts.length}) | `
      return result.ok
        ? `${header}${color.green('ok')}\n${shown(result.value)}`
        : `${header}${color.red(`FAILED: ${result.error}`)}`
    })
    return {stdout: lines(text)}
  },
}

/** The tree as ansible-inventory --graph draws it. */
export const graphRenderer: Renderer<{graph: string[]}> = {text: ({graph}) => ({stdout: lines(graph)})}

/** One group per line: name, number of hosts, the hosts. */
export const groupsRenderer: Renderer<{groups: GroupSummary[]}> = {
  text: ({groups}) => {
    const width = Math.max(...groups.map((g) => g.name.length))
    const countWidth = Math.max(...groups.map((g) => String(g.count).length))
    return {
      stdout: lines(
        groups.map((g) =>
          `${g.name.padEnd(width)}  ${String(g.count).padStart(countWidth)}  ${g.hosts.join(',')}`.trimEnd(),
        ),
      ),
    }
  },
}
