import {createHash, X509Certificate} from 'node:crypto'
import path from 'node:path'

import type {Inventory} from '../../inventory/model.js'
import type {Resource} from '../../engine/resources.js'
import type {HostContext, Role} from '../../engine/role.js'
import type {SecretSpec} from '../../engine/secrets.js'

import {base64Secret, oneLine} from '../../engine/secrets.js'
import {directory, file, packages, service} from '../../engine/resources.js'
import {shJoin, shq} from '../../transport/quote.js'
import {installResources, prepareInstall, type PreparedInstall} from '../shared/pki/install.js'
import {certificateTooling} from '../shared/pki/service-certificate.js'
import {rootCertificatePath, stepCaSettings, type StepCaSettings} from '../shared/pki/settings.js'
import {hostAddress, hostName, nodeFqdn, setting} from '../vars.js'
import {withAuthorityClaims} from './ca-config.js'
import meta from './meta.js'

/** The CA's keys stay encrypted with the password they were created with. */
const CA_PASSWORD_REPLACED = 'only for a CA not initialised yet: an existing CA cannot open its keys with a new one'

export const SECRETS = {
  intermediate: {
    description: 'step-ca intermediate (and SSH CA) key password',
    generate: base64Secret(32),
    name: 'step_ca_intermediate_password',
    problem: oneLine,
    replacing: CA_PASSWORD_REPLACED,
  },
  provisioner: {
    description: 'step-ca JWK provisioner password',
    generate: base64Secret(32),
    name: 'step_ca_provisioner_password',
    problem: oneLine,
    replacing: CA_PASSWORD_REPLACED,
  },
  root: {
    description: 'step-ca root key password',
    generate: base64Secret(32),
    name: 'step_ca_root_password',
    problem: oneLine,
    replacing: CA_PASSWORD_REPLACED,
  },
} satisfies Record<string, SecretSpec>

const CA_HOSTS = 'step_ca[0]'

function settingsOf(context: Pick<HostContext, 'inventory' | 'vars'>): StepCaSettings {
  return stepCaSettings(context.inventory, context.vars)
}

function caJsonPath(settings: StepCaSettings): string {
  return `${settings.etcPath}/config/ca.json`
}

/** The names the CA's own certificate answers to: step_ca.ca.sans, else host, node FQDN, cluster FQDN, address. */
function caNames(context: HostContext, settings: StepCaSettings): string[] {
  if (settings.caSans) return settings.caSans
  const domain = setting(context.vars, 'cluster.domain', '')
  const name = hostName(context.host, context.vars)
  const address = hostAddress(context.vars)
  return [
    ...new Set([
      context.host,
      name,
      nodeFqdn(context.host, context.vars),
      ...(domain === '' ? [] : [`${name}.${domain}`]),
      ...(address ? [address] : []),
    ]),
  ]
}

/**
 * `step ca init` once, as the step user: root and intermediate, the JWK provisioner and the SSH host and user CAs.
 * The root key's password exists on the host only while this runs (it stays in the operator's secret store); the
 * intermediate and SSH CA keys are re-encrypted with the intermediate password step-ca starts with.
 */
function initCommand(context: HostContext, settings: StepCaSettings): Resource {
  const step = (args: string[]) =>
    `runuser -u ${shq(settings.user)} -- env STEPPATH=${shq(settings.etcPath)} ${shJoin([settings.stepBinary, ...args])}`
  const init = step([
    'ca',
    'init',
    '--deployment-type=standalone',
    `--name=${settings.caName}`,
    `--dns=${caNames(context, settings).join(',')}`,
    `--address=${settings.bindAddress}`,
    `--provisioner=${settings.provisioner.name}`,
    `--provisioner-password-file=${settings.passwordPaths.jwkProvisioner}`,
    '--ssh',
  ])
  const changePass = (key: string) =>
    step([
      'crypto',
      'change-pass',
      `${settings.etcPath}/secrets/${key}`,
      `--new-password-file=${settings.passwordPaths.intermediate}`,
      '--force',
    ])
  return {
    creates: caJsonPath(settings),
    id: 'step ca init',
    kind: 'command',
    run: [
      'set -e',
      `root=$(mktemp ${shq(`${settings.etcPath}/.password_root.XXXXXX`)})`,
      'trap \'rm -f "$root"\' EXIT',
      `chown ${shq(`${settings.user}:${settings.user}`)} "$root"`,
      `printf '%s' ${shq(context.secret(SECRETS.root.name).toString('utf8'))} > "$root"`,
      `${init} --password-file="$root"`,
      ...['intermediate_ca_key', 'ssh_host_ca_key', 'ssh_user_ca_key'].map(
        (key) => `${changePass(key)} --password-file="$root"`,
      ),
    ].join('\n'),
  }
}

function archOf(context: {factsOf(host: string): {architecture: string}}, host: string): string {
  return context.factsOf(host).architecture
}

/** Install step-ca and step, create the step user and the CA's directories and password files, and initialise once. */
export const stepCa: Role = {
  description:
    'The CA host (the first of step_ca): the step-ca and step binaries, the step user, /etc/step-ca (0700) and its ' +
    'password files (0600), and `step ca init` exactly once: an existing CA is never initialised again.',
  factsFrom: (inventory: Inventory) => inventory.groupHosts('all'),
  hosts: CA_HOSTS,
  name: meta.name,
  plan(context) {
    const settings = settingsOf(context)
    const owned = {group: settings.user, owner: settings.user}
    return [
      ...installResources(
        settings,
        ['step-ca', 'step'],
        context.facts.architecture,
        context.prepared as PreparedInstall,
      ),
      {kind: 'group', name: settings.user},
      {group: settings.user, home: settings.etcPath, kind: 'user', name: settings.user, shell: '/usr/sbin/nologin'},
      directory(settings.etcPath, {...owned, mode: 0o700}),
      directory(`${settings.etcPath}/db`, {...owned, mode: 0o700}),
      file(settings.passwordPaths.intermediate, context.secret(SECRETS.intermediate.name), {
        ...owned,
        mode: 0o600,
        secret: true,
      }),
      file(settings.passwordPaths.jwkProvisioner, context.secret(SECRETS.provisioner.name), {
        ...owned,
        mode: 0o600,
        secret: true,
      }),
      initCommand(context, settings),
    ]
  },
  async prepare(context) {
    const [caHost] = context.hosts
    if (caHost === undefined) return undefined
    const settings = stepCaSettings(context.inventory, context.inventory.hostVars(caHost))
    const clients = context.inventory.groupHosts('all')
    return prepareInstall(
      settings,
      [
        {architecture: archOf(context, caHost), tool: 'step-ca'},
        ...[caHost, ...clients].map((host) => ({architecture: archOf(context, host), tool: 'step' as const})),
      ],
      context,
    )
  },
  secrets: [SECRETS.root, SECRETS.intermediate, SECRETS.provisioner],
  summary: meta.summary,
}

/** The CA's claims in ca.json, its hardened unit, and the running service. */
export const stepCaService: Role = {
  description: 'step-ca.service on the CA host, with the claims goldentooth keeps in ca.json.',
  fetch: (inventory, hosts) =>
    hosts.map((host) => ({host, path: caJsonPath(stepCaSettings(inventory, inventory.hostVars(host)))})),
  hosts: CA_HOSTS,
  name: 'step_ca_service',
  plan(context) {
    const settings = settingsOf(context)
    const restart = [{action: 'restart' as const, service: 'step-ca'}]
    const resources: Resource[] = []
    const current = context.fetched(context.host, caJsonPath(settings))
    if (current === undefined) {
      context.warn(`${caJsonPath(settings)} does not exist yet: the CA is not initialised (run without --check)`)
    } else {
      let updated: string
      try {
        updated = withAuthorityClaims(current.toString('utf8'), {
          allowRenewalAfterExpiry: setting(context.vars, 'step_ca_allow_renewal_after_expiry', true),
          maxTLSCertDuration: settings.maxTlsCertDuration,
        })
      } catch (error) {
        context.warn(`${caJsonPath(settings)} is not a step-ca configuration (${(error as Error).message}): left alone`)
        updated = current.toString('utf8')
      }
      resources.push(
        file(caJsonPath(settings), updated, {
          group: settings.user,
          mode: 0o600,
          notify: restart,
          owner: settings.user,
          secret: true,
        }),
      )
    }
    resources.push(
      file(
        '/etc/systemd/system/step-ca.service',
        context.template('step-ca.service.j2', {
          etc_path: settings.etcPath,
          intermediate_password_path: settings.passwordPaths.intermediate,
          step_ca_binary: settings.stepCaBinary,
          user: settings.user,
        }),
        {notify: restart},
      ),
      service('step-ca'),
    )
    return resources
  },
  summary: 'step-ca.service on the CA host.',
}

/** step's `fingerprint`: the SHA-256 of the root certificate's DER, in lowercase hex. */
export function rootFingerprint(pem: Buffer): string {
  return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase()
}

function trustResources(context: HostContext, settings: StepCaSettings, root: Buffer): Resource[] {
  let fingerprint: string
  try {
    fingerprint = rootFingerprint(root)
  } catch {
    context.warn(`the CA's ${rootCertificatePath(settings)} on ${settings.caHost} is not a certificate: not trusted`)
    return []
  }
  const pem = root.toString('utf8')
  const firstLine = pem.split('\n').find((line) => line !== '' && !line.startsWith('-----')) ?? ''
  const defaults = {
    'ca-url': settings.caUrl,
    fingerprint,
    root: `${settings.steppath}/certs/root_ca.crt`,
  }
  const linked = trustStoreLink(settings)
  return [
    packages(['ca-certificates']),
    file(settings.sharedCertPath, root),
    {
      id: 'update-ca-certificates',
      kind: 'command',
      run: 'update-ca-certificates',
      unless:
        `[ "$(sha256sum < ${shq(linked)} | cut -d' ' -f1)" = ${shq(sha256Hex(root))} ] && ` +
        `grep -qF ${shq(firstLine)} /etc/ssl/certs/ca-certificates.crt`,
    },
    ...(settings.rootCertPath === linked
      ? []
      : [directory(path.posix.dirname(settings.rootCertPath)), file(settings.rootCertPath, root)]),
    directory(`${settings.steppath}/certs`, {mode: 0o700}),
    directory(`${settings.steppath}/config`, {mode: 0o700}),
    file(`${settings.steppath}/certs/root_ca.crt`, root),
    file(`${settings.steppath}/config/defaults.json`, `${JSON.stringify(defaults, null, 2)}\n`),
  ]
}

/** Where update-ca-certificates links the shared certificate: /etc/ssl/certs/NAME.pem for NAME.crt. */
function trustStoreLink(settings: StepCaSettings): string {
  return `/etc/ssl/certs/${path.posix.basename(settings.sharedCertPath).replace(/\.crt$/, '')}.pem`
}

function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** Every node: the step CLI bootstrapped against the CA, its root in the system trust store, the renewer units. */
export const clusterCa: Role = {
  description:
    "Every node: the step CLI, bootstrapped against the CA ($STEPPATH/config/defaults.json with the root's " +
    'fingerprint), the JWK provisioner password (0600), the root in the system trust store (update-ca-certificates), ' +
    'a copy at step_ca.root_cert_path when update-ca-certificates does not link it there, ' +
    'and the cert-renewer@ units and goldentooth-cert tool every service certificate uses.',
  fetch: (inventory) => {
    const caHost = inventory.groupHosts('step_ca')[0]
    if (caHost === undefined) return []
    return [{host: caHost, path: rootCertificatePath(stepCaSettings(inventory, inventory.hostVars(caHost)))}]
  },
  hosts: 'all',
  name: 'cluster_ca',
  plan(context) {
    const settings = settingsOf(context)
    const root = settings.caHost ? context.fetched(settings.caHost, rootCertificatePath(settings)) : undefined
    if (!settings.caHost) context.warn('the inventory has no step_ca group: no CA to trust')
    else if (!root)
      context.warn(
        `${settings.caHost} has no ${rootCertificatePath(settings)} yet: the root is not trusted on this run`,
      )
    return [
      ...installResources(settings, ['step'], context.facts.architecture, context.prepared as PreparedInstall),
      directory(settings.steppath, {mode: 0o700}),
      file(settings.provisioner.passwordPath, context.secret(SECRETS.provisioner.name), {mode: 0o600, secret: true}),
      ...(root ? trustResources(context, settings, root) : []),
      ...certificateTooling(context, settings),
    ]
  },
  async prepare(context) {
    const [first] = context.hosts
    if (first === undefined) return undefined
    const settings = stepCaSettings(context.inventory, context.inventory.hostVars(first))
    return prepareInstall(
      settings,
      context.hosts.map((host) => ({architecture: archOf(context, host), tool: 'step' as const})),
      context,
    )
  },
  secrets: [SECRETS.provisioner],
  summary: 'Trust the cluster root and bootstrap the step CLI on every node.',
}
