import type {Resource} from '../../../engine/resources.js'
import type {ClusterContext, Finding, HostContext} from '../../../engine/role.js'

import {InvalidInputError} from '../../../core/errors.js'
import {directory, file, type Notify, service, unitName} from '../../../engine/resources.js'
import {shJoin} from '../../../transport/quote.js'
import {hostAddress, hostName, nodeFqdn} from '../../vars.js'
import {CERT_PATHS, requestHash, requestPath} from './cert-tool.js'
import {expiresInPercent, parseDuration, renewalProblem} from './renewal.js'
import {stepCaSettings, type StepCaSettings} from './settings.js'

/**
 * A TLS certificate a service role asks for. The PKI role module (setup_step_ca) owns the mechanism that turns this
 * into resources: issue from the cluster CA with these SANs (never re-issue a valid one), files owned by the service
 * user with mode 0600, the cert-renewer@<name> timer and drop-in (CERT_LOCATION, KEY_LOCATION, the reload of the
 * service, the renewal threshold), and the plan-time renewal arithmetic check.
 */
export interface ServiceCertificateSpec {
  certPath: string
  /** CN; also the first SAN. */
  commonName: string
  group: string
  keyPath: string
  /** Requested lifetime, e.g. '24h' (the CA's maximum is 168h). */
  lifetime: string
  /** Instance name of cert-renewer@<name>: usually the service. */
  name: string
  owner: string
  /** What to do with the service after a renewal. */
  reload?: Notify
  /** Extra SANs: hostname, node FQDN, service names such as vault.service.consul, IP, localhost. */
  sans: string[]
  /** Renew when this share of the lifetime is left, e.g. 0.34 (step's `--expires-in 66%` means 66% elapsed). */
  renewWhenLeft?: number
}

/** The SANs most services want: short name, node FQDN, address, and loopback. */
export function hostSans(context: HostContext, ...extra: string[]): string[] {
  const address = hostAddress(context.vars)
  return [
    ...new Set([
      context.host,
      hostName(context.host, context.vars),
      nodeFqdn(context.host, context.vars),
      ...extra,
      ...(address ? [address] : []),
      'localhost',
      '127.0.0.1',
    ]),
  ]
}

const DEFAULT_RENEW_WHEN_LEFT = 0.34
const NAME = /^[a-z0-9][a-z0-9_.-]*$/

/** What is wrong with a certificate spec on a host (lifetime, CA maximum, renewal arithmetic); [] when nothing. */
export function certificateProblems(
  settings: StepCaSettings,
  spec: Pick<ServiceCertificateSpec, 'lifetime' | 'name' | 'renewWhenLeft'>,
): string[] {
  if (!NAME.test(spec.name)) return [`certificate name ${JSON.stringify(spec.name)} must match ${NAME.source}`]
  const lifetime = parseDuration(spec.lifetime)
  if (lifetime === undefined || lifetime === 0)
    return [`${spec.name}: lifetime ${JSON.stringify(spec.lifetime)} is not a duration such as 24h`]
  const problems: string[] = []
  if (lifetime > settings.maxTlsCertSeconds)
    problems.push(
      `${spec.name}: a lifetime of ${spec.lifetime} is more than the CA's maximum of ${settings.maxTlsCertDuration} ` +
        '(step_ca.max_tls_cert_duration): the CA would refuse it',
    )
  const problem = renewalProblem({
    lifetimeSeconds: lifetime,
    name: spec.name,
    renewWhenLeft: spec.renewWhenLeft ?? DEFAULT_RENEW_WHEN_LEFT,
    timer: settings.renewalTimer,
  })
  if (problem) problems.push(problem)
  return problems
}

/** Plan-time findings for a role's check(): every certificate of every target host, with the numbers. */
export function certificateFindings(
  cluster: ClusterContext,
  specsOf: (host: string) => Array<Pick<ServiceCertificateSpec, 'lifetime' | 'name' | 'renewWhenLeft'>>,
): Finding[] {
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const host of cluster.hosts) {
    const settings = stepCaSettings(cluster.inventory, cluster.inventory.hostVars(host))
    for (const spec of specsOf(host)) {
      for (const message of certificateProblems(settings, spec)) {
        if (seen.has(message)) continue
        seen.add(message)
        findings.push({host, level: 'error', message})
      }
    }
  }
  return findings
}

/** The renewer template units and the on-host certificate tool: identical for every certificate on a host. */
export function certificateTooling(context: HostContext, settings: StepCaSettings): Resource[] {
  const tool = context.sharedTemplate('pki/goldentooth-cert.j2', {
    issued_dir: CERT_PATHS.issuedDir,
    request_dir: CERT_PATHS.requestDir,
  })
  const renewer = {step_binary: settings.stepBinary, steppath: settings.steppath}
  const timer = {
    on_calendar: settings.renewalTimer.onCalendar,
    randomized_delay_seconds: settings.renewalTimer.jitterSeconds,
  }
  return [
    directory(CERT_PATHS.requestDir),
    file(CERT_PATHS.tool, tool, {mode: 0o755}),
    file('/etc/systemd/system/cert-renewer@.service', context.sharedTemplate('pki/cert-renewer@.service.j2', renewer)),
    file('/etc/systemd/system/cert-renewer@.timer', context.sharedTemplate('pki/cert-renewer@.timer.j2', timer)),
  ]
}

function serviceAction(reload: Notify | undefined): string {
  if (!reload) return ''
  return reload.action === 'reload' ? 'try-reload-or-restart' : 'try-restart'
}

/** The resources for one certificate, without the shared tooling. */
function certificateResources(
  context: HostContext,
  settings: StepCaSettings,
  spec: ServiceCertificateSpec,
): Resource[] {
  const problems = certificateProblems(settings, spec)
  if (problems.length > 0) throw new InvalidInputError(`${context.host}: ${problems.join('; ')}`)
  for (const path of [spec.certPath, spec.keyPath]) {
    if (!path.startsWith('/'))
      throw new InvalidInputError(`${context.host}: ${spec.name}: ${path} is not an absolute path`)
  }
  const certificate = {
    cert_path: spec.certPath,
    expires_in: expiresInPercent(spec.renewWhenLeft ?? DEFAULT_RENEW_WHEN_LEFT),
    group: spec.group,
    key_path: spec.keyPath,
    owner: spec.owner,
    service_action: serviceAction(spec.reload),
    service_unit: spec.reload ? unitName(spec.reload.service) : '',
  }
  const request = context.sharedTemplate('pki/certificate.env.j2', {
    ...certificate,
    common_name: spec.commonName,
    lifetime: spec.lifetime,
    name: spec.name,
    provisioner: settings.provisioner.name,
    provisioner_password_file: settings.provisioner.passwordPath,
    root: settings.rootCertPath,
    sans: [...new Set([spec.commonName, ...spec.sans])],
    step_binary: settings.stepBinary,
    steppath: settings.steppath,
    tool: CERT_PATHS.tool,
  })
  const dropIn = context.sharedTemplate('pki/cert-renewer-goldentooth.conf.j2', {
    ...certificate,
    working_directory: spec.keyPath.slice(0, spec.keyPath.lastIndexOf('/')) || '/',
  })
  const dropInDir = `/etc/systemd/system/cert-renewer@${spec.name}.service.d`
  return [
    file(requestPath(spec.name), request),
    directory(dropInDir),
    file(`${dropInDir}/goldentooth.conf`, dropIn),
    service(`cert-renewer@${spec.name}.timer`),
    {
      id: `issue certificate ${spec.name}`,
      kind: 'command',
      ...(spec.reload ? {notify: [spec.reload]} : {}),
      run: shJoin([CERT_PATHS.tool, 'issue', spec.name]),
      unless: shJoin([CERT_PATHS.tool, 'check', spec.name, requestHash(request)]),
    },
  ]
}

/**
 * Everything one service certificate needs on a host: the shared renewer templates and certificate tool, the
 * request, the renewer drop-in and its enabled timer, then the certificate itself (issued from the cluster CA only when missing, issued from another request, not
 * verifying against the root, with the wrong owner or mode, or due for renewal; `reload` is notified when it is
 * issued). The directories of certPath and keyPath, and the owner, must
 * exist before these resources (the service role creates them). Throws InvalidInputError when the lifetime exceeds
 * the CA's maximum or the renewal timer could miss the renewal window.
 */
export function serviceCertificate(context: HostContext, spec: ServiceCertificateSpec): Resource[] {
  return serviceCertificates(context, [spec])
}

/** Several certificates on one host, with the shared tooling once. */
export function serviceCertificates(context: HostContext, specs: readonly ServiceCertificateSpec[]): Resource[] {
  const settings = stepCaSettings(context.inventory, context.vars)
  return [
    ...certificateTooling(context, settings),
    ...specs.flatMap((spec) => certificateResources(context, settings, spec)),
  ]
}
