import type {ClusterCheck, HostCheck, HostContext, Probe, ProbeResult, Suite} from '../model.js'

import {rootCertificatePath, stepCaSettings} from '../../roles/shared/pki/settings.js'
import {shq} from '../../transport/quote.js'
import {httpOutcome, httpProbe, jsonBody} from '../http.js'
import {portsCheck} from '../ports.js'
import {installedRootPath} from '../service-vars.js'
import {unitCheck} from '../units.js'
import {fail, formatSeconds, pass, probeProblem, skip} from '../verdict.js'
import {parseX509, type X509Summary} from '../x509.js'

const settingsOf = (context: HostContext) => stepCaSettings(context.inventory, context.vars)
const port = (context: HostContext) => settingsOf(context).port

const X509 = 'openssl x509 -noout -subject -issuer -startdate -enddate -fingerprint -sha256 -in'

/** The root installed on the node (`installed`) and, on the CA, the CA's own (`ca`). */
function rootProbe(context: HostContext): Probe {
  const installed = shq(installedRootPath(context))
  const ca = shq(rootCertificatePath(settingsOf(context)))
  return {
    script: `printf 'installed '; ${X509} ${installed} 2>&1 | base64 -w0; echo
if [ -f ${ca} ]; then printf 'ca '; ${X509} ${ca} 2>&1 | base64 -w0; echo; fi
true`,
  }
}

export function parseRoots(result: ProbeResult): {ca?: X509Summary; installed?: X509Summary; problem?: string} {
  const roots: {ca?: X509Summary; installed?: X509Summary; problem?: string} = {}
  for (const line of result.stdout.split('\n')) {
    const [key, value = ''] = line.split(' ')
    const text = Buffer.from(value, 'base64').toString('utf8')
    const summary = parseX509(text)
    if (key === 'installed') {
      if (summary) roots.installed = summary
      else roots.problem = text.trim().split('\n')[0] ?? 'unreadable'
    } else if (key === 'ca' && summary) roots.ca = summary
  }
  return roots
}

const root: HostCheck = {
  evaluate: ({context, nowMs, result}) => {
    const path = installedRootPath(context)
    const expected = `the cluster root at ${path}, valid now`
    const problem = probeProblem(result, 'openssl')
    if (problem || !result) return [fail('root_certificate', expected, problem ?? 'no result')]
    const {installed, problem: unreadable} = parseRoots(result)
    if (!installed) {
      return [
        fail(
          'root_certificate',
          expected,
          unreadable ?? 'missing',
          'goldentooth setup_step_ca installs the root on every node',
        ),
      ]
    }
    const remaining = Math.round((installed.notAfterMs - nowMs) / 1000)
    const extra = {certificateExpirySeconds: remaining}
    return remaining > 0 && nowMs >= installed.notBeforeMs
      ? [pass('root_certificate', expected, `${installed.subject}; expires in ${formatSeconds(remaining)}`, extra)]
      : [
          fail(
            'root_certificate',
            expected,
            `${installed.subject}; not valid now`,
            'the root must be replaced on every node',
            extra,
          ),
        ]
  },
  groups: ['all'],
  name: 'root_certificate',
  probe: rootProbe,
  summary: 'The cluster root certificate is installed and valid',
}

const health: HostCheck = {
  evaluate: ({context, result}) => {
    const expected = `https://ADDRESS:${port(context)}/health answers 200 {"status":"ok"}`
    const outcome = httpOutcome(result)
    if (!outcome.ok) return [fail('health', expected, outcome.problem, 'journalctl -u step-ca -n 50')]
    const status = jsonBody<{status?: string}>(outcome.body)?.status
    return outcome.status === 200 && status === 'ok'
      ? [pass('health', expected, `${outcome.status} ${outcome.body.trim()}`)]
      : [
          fail(
            'health',
            expected,
            `${outcome.status} ${outcome.body.trim().slice(0, 200)}`,
            'journalctl -u step-ca -n 50',
          ),
        ]
  },
  groups: ['step_ca'],
  name: 'health',
  probe: (context) =>
    httpProbe({
      caFile: installedRootPath(context),
      healthy: [200],
      retrySeconds: 5,
      url: `https://${context.address}:${port(context)}/health`,
    }),
  summary: "step-ca's /health answers ok over TLS verified with the cluster root",
}

const sameRoot: ClusterCheck = {
  collectFrom: ['all'],
  evaluate: (collected) => {
    const expected = "every node trusts the CA's own root (same SHA-256 fingerprint)"
    const byFingerprint = new Map<string, string[]>()
    let caFingerprint: string | undefined
    const unreadable: string[] = []
    for (const {host, result} of collected) {
      if (!result) {
        unreadable.push(host)
        continue
      }
      const roots = parseRoots(result)
      if (roots.ca) caFingerprint = roots.ca.sha256
      if (!roots.installed) unreadable.push(host)
      else byFingerprint.set(roots.installed.sha256, [...(byFingerprint.get(roots.installed.sha256) ?? []), host])
    }
    if (byFingerprint.size === 0) return [skip('root_fingerprint', expected, 'no node reported a root')]
    const describe = [...byFingerprint].map(([fp, hosts]) => `${fp.slice(0, 23)}…: ${hosts.join(',')}`)
    const wrong = [...byFingerprint].filter(([fp]) => caFingerprint !== undefined && fp !== caFingerprint)
    if (byFingerprint.size > 1 || wrong.length > 0) {
      return [
        fail(
          'root_fingerprint',
          expected,
          `${describe.join('; ')}${caFingerprint ? `; the CA's root is ${caFingerprint.slice(0, 23)}…` : ''}`,
          'install the CA root again on the odd nodes: goldentooth setup_step_ca',
        ),
      ]
    }
    const note = caFingerprint ? " (the CA's own root)" : ' (the CA was not among the selected hosts)'
    return [
      pass(
        'root_fingerprint',
        expected,
        `${describe[0]}${note}${unreadable.length ? `; unreadable on ${unreadable.join(',')}` : ''}`,
      ),
    ]
  },
  name: 'root_fingerprint',
  probe: rootProbe,
  summary: "Every node's root certificate is the CA's own",
}

export const STEP_CA: Suite = {
  clusterChecks: [sameRoot],
  hostChecks: [
    unitCheck('step-ca', ['step_ca']),
    portsCheck('step-ca', (context) => [port(context)], ['step_ca']),
    health,
    root,
  ],
  name: 'step_ca',
  summary: 'The cluster CA: step-ca running and healthy on its host, the same valid root on every node.',
}
