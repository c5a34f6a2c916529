import type {CheckListing, ListingReport} from '../../health/list.js'
import type {Renderer} from '../renderer.js'

import {color} from '../../output/color.js'

/** Each suite with its checks and where they run, then the inventory variables the suites read. */
export const healthListRenderer: Renderer<ListingReport> = {
  text: (report) => ({stdout: renderListing(report)}),
}

function where(check: CheckListing): string {
  const groups = check.scope === 'cluster' ? `from ${check.groups.join(',')}` : check.groups.join(',')
  return `${groups} (${check.hosts.length} ${check.hosts.length === 1 ? 'host' : 'hosts'})`
}

function renderListing(report: ListingReport): string {
  const names = report.suites.flatMap((suite) =>
    suite.checks.map((check) => check.name.length + (check.scope === 'cluster' ? 10 : 0)),
  )
  const nameWidth = Math.max(...names)
  const whereWidth = Math.max(...report.suites.flatMap((suite) => suite.checks.map((check) => where(check).length)))
  const suites = report.suites.map((suite) => {
    const checks = suite.checks.map((check) => {
      const name = check.scope === 'cluster' ? `(cluster) ${check.name}` : check.name
      return `  ${name.padEnd(nameWidth)}  ${where(check).padEnd(whereWidth)}  ${color.dim(check.summary)}\n`
    })
    return `${color.bold(suite.name)}  ${suite.summary}\n${checks.join('')}`
  })
  const settings = Object.entries(report.settings).map(([name, value]) => `  ${name}: ${JSON.stringify(value)}\n`)
  return `${suites.join('\n')}\n${color.bold('inventory variables')} (per host; defaults shown)\n${settings.join('')}`
}
