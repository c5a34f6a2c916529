import type {Probe, ProbeResult, Verdict} from './model.js'
import type {DeclaredCertificate} from './settings.js'

import {shq} from '../transport/quote.js'
import {keyValues} from './units.js'
import {fail, formatSeconds, pass} from './verdict.js'
import {parseX509, type X509Summary} from './x509.js'

/** Where cert-renewer@.service puts a certificate when no drop-in says otherwise (Smallstep's recipe). */
export const DEFAULT_CERT_DIR = '/etc/step/certs'
/** `step certificate needs-renewal --expires-in 66%`: renew once two thirds of the lifetime have passed. */
export const DEFAULT_RENEW_AFTER = 0.66

const DISCOVER = String.raw`kv() { k=$1; shift; printf '%s ' "$k"; "$@" 2>&1 | base64 -w0; printf '\n'; }
certpath() {
  p=$(systemctl show -p Environment --value "cert-renewer@$1.service" 2>/dev/null | tr ' ' '\n' | sed -n 's/^CERT_LOCATION=//p' | tail -n 1)
  [ -n "$p" ] || p=$(cat /etc/systemd/system/cert-renewer@"$1".service.d/*.conf 2>/dev/null | sed -n 's/^Environment="\{0,1\}CERT_LOCATION=\([^" ]*\).*/\1/p' | tail -n 1)
  [ -n "$p" ] || p=DEFAULT_DIR/$1.crt
  printf '%s' "$p"
}
check() {
  printf 'instance %s\n' "$1"
  kv service systemctl show --no-pager --timestamp=unix -p LoadState -p Environment -p Result "cert-renewer@$1.service"
  kv timer systemctl show --no-pager --timestamp=unix -p LoadState -p ActiveState -p UnitFileState -p LastTriggerUSec -p NextElapseUSecRealtime "cert-renewer@$1.timer"
  kv dropins sh -c 'cat /etc/systemd/system/cert-renewer@"$1".service.d/*.conf 2>/dev/null; true' - "$1"
  p=$2
  [ -n "$p" ] || p=$(certpath "$1")
  kv path printf '%s' "$p"
  if [ -f "$p" ]; then
    kv x509 openssl x509 -noout -subject -issuer -startdate -enddate -fingerprint -sha256 -in "$p"
    if [ -f "$root" ]; then kv verify openssl verify -CAfile "$root" -untrusted "$p" "$p"; fi
  fi
}
found=$( { ls -d /etc/systemd/system/cert-renewer@*.service.d 2>/dev/null | sed -n 's|.*/cert-renewer@\(.*\)\.service\.d$|\1|p'
  ls /etc/systemd/system/*.wants/cert-renewer@*.timer 2>/dev/null | sed -n 's|.*/cert-renewer@\(.*\)\.timer$|\1|p'; } | sort -u)`

/** Every certificate the host's cert-renewer@ units name, and every declared one, with its renewer's state. */
export function certificatesProbe(declared: readonly DeclaredCertificate[], rootPath: string): Probe {
  const names = declared.map((certificate) => certificate.name)
  const lines = [
    `root=${shq(rootPath)}`,
    DISCOVER.replace('DEFAULT_DIR', DEFAULT_CERT_DIR),
    ...declared.map((certificate) => `check ${shq(certificate.name)} ${shq(certificate.path ?? '')}`),
    `for n in $found; do case ${shq(` ${names.join(' ')} `)} in *" $n "*) ;; *) check "$n" '' ;; esac; done`,
    'true',
  ]
  return {script: lines.join('\n')}
}

export interface RenewerState {
  name: string
  service: Map<string, string>
  timer: Map<string, string>
  dropins: string
  path: string
  x509?: X509Summary
  /** What `openssl x509` said when it could not read the file. */
  x509Error?: string
  /** undefined when the chain was not checked (no cluster root on the host). */
  verify?: {ok: boolean; output: string}
}

export function parseCertificates(result: ProbeResult): RenewerState[] {
  const states: RenewerState[] = []
  let current: RenewerState | undefined
  for (const line of result.stdout.split('\n')) {
    const [key = '', value = ''] = line.split(' ', 2)
    if (key === 'instance') {
      current = {dropins: '', name: value, path: '', service: new Map(), timer: new Map()}
      states.push(current)
      continue
    }
    if (!current) continue
    const text = Buffer.from(value, 'base64').toString('utf8')
    if (key === 'service') current.service = keyValues(text)
    else if (key === 'timer') current.timer = keyValues(text)
    else if (key === 'dropins') current.dropins = text
    else if (key === 'path') current.path = text
    else if (key === 'x509') {
      const summary = parseX509(text)
      if (summary) current.x509 = summary
      else current.x509Error = text.trim().split('\n')[0] ?? 'unreadable'
    } else if (key === 'verify') current.verify = {ok: /: OK\s*$/.test(text.trim()), output: text.trim()}
  }
  return states
}

/** The share of the lifetime after which the renewer renews: EXPIRES_IN_THRESHOLD (`66%`) from the unit or drop-ins. */
export function renewAfter(state: RenewerState): number {
  const environment = `${state.service.get('Environment') ?? ''}\n${state.dropins}`
  const match = /EXPIRES_IN_THRESHOLD=(\d+(?:\.\d+)?)%/.exec(environment)
  const share = match ? Number(match[1]) / 100 : Number.NaN
  return share > 0 && share < 1 ? share : DEFAULT_RENEW_AFTER
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z')

/** present, valid (seconds left, chain), renewal (window), renewer (timer) for one certificate. */
export function certificateVerdicts(
  state: RenewerState,
  options: {nowMs: number; renewalGraceSeconds: number; renewerMaxAgeSeconds: number; rootPath: string},
): Verdict[] {
  const {name} = state
  const verdicts: Verdict[] = []
  const renewerDropin = `/etc/systemd/system/cert-renewer@${name}.service.d/`
  const presentExpected = `certificate at ${state.path || `${DEFAULT_CERT_DIR}/${name}.crt`}`
  if (!state.x509) {
    verdicts.push(
      fail(
        `${name}:present`,
        presentExpected,
        state.x509Error ? `unreadable: ${state.x509Error}` : `no certificate at ${state.path}`,
        state.dropins
          ? `issue it again (goldentooth setup_<service>); cert-renewer@${name} cannot renew a missing certificate`
          : `no drop-in in ${renewerDropin} points cert-renewer@${name} at the certificate: run the role of ${name}`,
      ),
    )
  } else {
    const {x509} = state
    verdicts.push(pass(`${name}:present`, presentExpected, `${state.path}: ${x509.subject}`))
    const remaining = (x509.notAfterMs - options.nowMs) / 1000
    const chain = state.verify
      ? state.verify.ok
        ? `chain verified against ${options.rootPath}`
        : `chain does not verify: ${state.verify.output.split('\n').at(-2) ?? state.verify.output}`
      : `chain not checked (no ${options.rootPath})`
    const validExpected = `valid now (not before ${iso(x509.notBeforeMs)}, not after ${iso(x509.notAfterMs)}), chain verifies`
    const certificateExpirySeconds = Math.round(remaining)
    if (options.nowMs < x509.notBeforeMs) {
      verdicts.push(
        fail(
          `${name}:valid`,
          validExpected,
          `not valid for another ${formatSeconds(-(options.nowMs - x509.notBeforeMs) / 1000)}`,
          "is this node's clock or the CA's ahead? goldentooth test time",
          {certificateExpirySeconds},
        ),
      )
    } else if (remaining <= 0) {
      verdicts.push(
        fail(
          `${name}:valid`,
          validExpected,
          `expired ${formatSeconds(-remaining)} ago (${iso(x509.notAfterMs)})`,
          `an expired certificate cannot be renewed with itself: issue it again with the provisioner (goldentooth setup_<service>)`,
          {certificateExpirySeconds},
        ),
      )
    } else if (state.verify && !state.verify.ok) {
      verdicts.push(
        fail(`${name}:valid`, validExpected, chain, `was it issued by another CA? issue it again from the cluster CA`, {
          certificateExpirySeconds,
        }),
      )
    } else {
      verdicts.push(
        pass(`${name}:valid`, validExpected, `expires in ${formatSeconds(remaining)}; ${chain}`, {
          certificateExpirySeconds,
        }),
      )
    }
    verdicts.push(renewalVerdict(state, x509, options))
  }
  verdicts.push(renewerVerdict(state, options))
  return verdicts
}

function renewalVerdict(
  state: RenewerState,
  x509: X509Summary,
  options: {nowMs: number; renewalGraceSeconds: number},
): Verdict {
  const share = renewAfter(state)
  const opensMs = x509.notBeforeMs + share * (x509.notAfterMs - x509.notBeforeMs)
  const expected = `outside its renewal window (opens after ${Math.round(share * 100)}% of the lifetime), or renewed within ${options.renewalGraceSeconds} s of it opening`
  const insideSeconds = (options.nowMs - opensMs) / 1000
  if (insideSeconds < 0) {
    return pass(`${state.name}:renewal`, expected, `renewal window opens in ${formatSeconds(-insideSeconds)}`)
  }
  const observed = `inside its renewal window for ${formatSeconds(insideSeconds)}`
  return insideSeconds <= options.renewalGraceSeconds
    ? pass(`${state.name}:renewal`, expected, `${observed} (renewal due)`)
    : fail(
        `${state.name}:renewal`,
        expected,
        `${observed}: not renewed`,
        `journalctl -u cert-renewer@${state.name}.service -n 30; systemctl start cert-renewer@${state.name}.service`,
      )
}

function renewerVerdict(state: RenewerState, options: {nowMs: number; renewerMaxAgeSeconds: number}): Verdict {
  const name = `${state.name}:renewer`
  const unit = `cert-renewer@${state.name}.timer`
  const expected = `${unit} active and enabled, last run within ${options.renewerMaxAgeSeconds} s, last renewal not failed`
  const {timer, service} = state
  if (timer.get('LoadState') !== 'loaded') {
    return fail(
      name,
      expected,
      `${unit} is not installed`,
      `the PKI role installs cert-renewer@.timer: goldentooth setup_step_ca`,
    )
  }
  const enabled = ['enabled', 'enabled-runtime', 'static'].includes(timer.get('UnitFileState') ?? '')
  if (timer.get('ActiveState') !== 'active' || !enabled) {
    return fail(
      name,
      expected,
      `${unit} ${timer.get('ActiveState') ?? 'unknown'}, ${timer.get('UnitFileState') || 'not enabled'}`,
      `systemctl enable --now ${unit}`,
    )
  }
  const last = /^@(\d+)$/.exec(timer.get('LastTriggerUSec') ?? '')
  const ageSeconds = last ? options.nowMs / 1000 - Number(last[1]) : undefined
  if (service.get('Result') && service.get('Result') !== 'success') {
    return fail(
      name,
      expected,
      `the last renewal failed (${service.get('Result')})`,
      `journalctl -u cert-renewer@${state.name}.service -n 30`,
    )
  }
  if (ageSeconds !== undefined && ageSeconds > options.renewerMaxAgeSeconds) {
    return fail(name, expected, `last run ${formatSeconds(ageSeconds)} ago`, `systemctl list-timers ${unit}`)
  }
  return pass(
    name,
    expected,
    ageSeconds === undefined
      ? 'active, enabled; not run yet'
      : `active, enabled; last run ${formatSeconds(ageSeconds)} ago`,
  )
}
