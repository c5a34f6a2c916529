import {createHash} from 'node:crypto'

import type {StepCaSettings} from './settings.js'

import {shq} from '../../../transport/quote.js'

/** Where each host keeps what it knows about its service certificates. */
export const CERT_PATHS = {
  /** One `<name>.env` per certificate: what to ask the CA for, and what to do after. */
  requestDir: '/etc/goldentooth/certificates',
  /** A copy of the request each certificate was last issued from. */
  issuedDir: '/var/lib/goldentooth/certificates',
  tool: '/usr/local/sbin/goldentooth-cert',
}

/** What one certificate request holds; written as a shell-sourceable (and systemd EnvironmentFile) file. */
export interface CertificateRequest {
  certPath: string
  commonName: string
  /** `66%`: the share of the lifetime that must pass before renewal. */
  expiresIn: string
  group: string
  keyPath: string
  lifetime: string
  name: string
  owner: string
  /** systemctl verb for the service after a forced re-issue (`try-restart`, `try-reload-or-restart`), or '' */
  serviceAction: string
  serviceUnit: string
  sans: string[]
}

export function requestPath(name: string): string {
  return `${CERT_PATHS.requestDir}/${name}.env`
}

export function requestFile(request: CertificateRequest, settings: StepCaSettings): string {
  const values: Array<[string, string]> = [
    ['COMMON_NAME', request.commonName],
    ['SANS', request.sans.join(' ')],
    ['LIFETIME', request.lifetime],
    ['CERT_LOCATION', request.certPath],
    ['KEY_LOCATION', request.keyPath],
    ['OWNER', request.owner],
    ['GROUP', request.group],
    ['EXPIRES_IN_THRESHOLD', request.expiresIn],
    ['SERVICE_UNIT', request.serviceUnit],
    ['SERVICE_ACTION', request.serviceAction],
    ['PROVISIONER', settings.provisioner.name],
    ['PROVISIONER_PASSWORD_FILE', settings.provisioner.passwordPath],
    ['ROOT', settings.rootCertPath],
    ['STEP', settings.stepBinary],
    ['STEPPATH', settings.steppath],
  ]
  return `# goldentooth: certificate ${request.name}, read by ${CERT_PATHS.tool}\n${values
    .map(([key, value]) => `${key}=${value === '' ? "''" : shq(value)}`)
    .join('\n')}\n`
}

export function requestHash(content: string): string {
  return createHash('sha256').update(content).digest('hex')
}

/**
 * The on-host tool every certificate goes through: `check NAME [SHA256]` (exit 0 when the certificate exists, was
 * issued from this request, verifies against the root, has the right owner and mode and does not need renewal yet),
 * `issue NAME` (issue unless check passes) and `rotate NAME` (issue, then reload or restart the service).
 */
export const CERT_TOOL = String.raw`#!/bin/sh
# goldentooth-cert: issue, check or rotate a certificate from the cluster CA (managed by goldentooth).
set -eu
usage() { echo "usage: goldentooth-cert check NAME [REQUEST-SHA256] | issue NAME | rotate NAME" >&2; exit 64; }
[ $# -ge 2 ] || usage
action=$1 name=$2
request=${CERT_PATHS.requestDir}/$name.env
issued=${CERT_PATHS.issuedDir}/$name.issued
if [ ! -f "$request" ]; then echo "goldentooth-cert: no certificate $name here ($request is missing)" >&2; exit 66; fi
. "$request"
export STEPPATH
current() {
  [ -s "$CERT_LOCATION" ] && [ -s "$KEY_LOCATION" ] && [ -f "$issued" ] || return 1
  if [ -n "$1" ]; then [ "$(sha256sum < "$issued" | cut -d' ' -f1)" = "$1" ] || return 1
  else cmp -s "$request" "$issued" || return 1; fi
  [ "$(stat -c %U:%G:%a -- "$CERT_LOCATION" "$KEY_LOCATION" | sort -u)" = "$OWNER:$GROUP:600" ] || return 1
  "$STEP" certificate verify "$CERT_LOCATION" --roots "$ROOT" >/dev/null 2>&1 || return 1
  status=0
  "$STEP" certificate needs-renewal "$CERT_LOCATION" --expires-in "$EXPIRES_IN_THRESHOLD" >/dev/null 2>&1 || status=$?
  [ "$status" -eq 1 ]
}
issue() {
  if [ ! -x "$STEP" ]; then echo "goldentooth-cert: the step CLI is not installed at $STEP (setup_step_ca installs it)" >&2; exit 69; fi
  set --
  for san in $SANS; do set -- "$@" --san "$san"; done
  umask 077
  "$STEP" ca certificate "$COMMON_NAME" "$CERT_LOCATION" "$KEY_LOCATION" --provisioner "$PROVISIONER" \
    --provisioner-password-file "$PROVISIONER_PASSWORD_FILE" --not-after "$LIFETIME" --force "$@"
  chown -- "$OWNER:$GROUP" "$CERT_LOCATION" "$KEY_LOCATION"
  chmod 0600 -- "$CERT_LOCATION" "$KEY_LOCATION"
  mkdir -p -m 0700 ${CERT_PATHS.issuedDir}
  cp -- "$request" "$issued"
  echo "issued $name for $SANS, valid $LIFETIME"
}
case $action in
  check) current "${'$'}{3:-}" ;;
  issue) current '' || issue ;;
  rotate)
    issue
    if [ -n "$SERVICE_ACTION" ] && systemctl --quiet is-active -- "$SERVICE_UNIT"; then
      systemctl "$SERVICE_ACTION" -- "$SERVICE_UNIT" && echo "$SERVICE_ACTION $SERVICE_UNIT"
    fi ;;
  *) usage ;;
esac
`
