import type {Action} from '../compare.js'

import {shJoin, shq} from '../../transport/quote.js'
import {ENGINE_PATHS, type EnginePaths} from './paths.js'

/** One change to make, in plan order; `index` ties the result line back to the resource. */
export interface ApplyStep {
  action: Action
  index: number
  /** The file is a systemd unit: daemon-reload before any service is touched. */
  unitChanged: boolean
}

export interface Handler {
  action: 'reload' | 'restart'
  /** Full unit name. */
  unit: string
}

export interface ApplyPlan {
  /** A unit changed in an earlier run that died before its daemon-reload. */
  daemonReloadPending: boolean
  handlers: Handler[]
  /** Where each artifact's local file was staged on the host (uploaded before the script runs). */
  staged: ReadonlyMap<string, string>
  steps: ApplyStep[]
}

export function markerName(handler: Handler): string {
  return `${handler.action}@${handler.unit}`
}

export const DAEMON_RELOAD_MARKER = 'daemon-reload'

/**
 * The apply script: POSIX sh, sent over stdin into a private temporary file and run once per host. It takes a lock
 * (overlapping runs wait), records pending restarts before changing anything (so a run that dies half way still
 * restarts them next time), applies each step in order and stops at the first failure, then reloads systemd once
 * and runs the handlers. Every step and handler prints `R INDEX STATUS BASE64MESSAGE` or `H MARKER STATUS BASE64`.
 */
const runtime = (paths: EnginePaths) => String.raw`set -u
export LC_ALL=C DEBIAN_FRONTEND=noninteractive PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
FAILED=0 RELOAD=0 STARTED=' '
PENDING=${shq(paths.pendingDir)} BACKUP=${shq(paths.backupDir)}
say() { printf '%s %s %s ' "$1" "$2" "$3"; printf '%s' "$4" | base64 -w0; printf '\n'; }
ok() { say R "$1" changed "$2"; }
fail() { say R "$1" failed "$2"; FAILED=1; }
step() { n=$1; shift; if [ "$FAILED" = 0 ]; then "$@"; else cat >/dev/null; say R "$n" skipped 'an earlier change on this host failed'; fi; }
tail_of() { printf '%s' "$1" | tail -n 15; }
op_write() {
  d=$(dirname -- "$2")
  mkdir -p -- "$d" || { fail "$1" "cannot create directory $d"; return; }
  t=$(mktemp -- "$d/.goldentooth.XXXXXX") || { fail "$1" "cannot create a temporary file in $d"; return; }
  if ! base64 -d > "$t"; then rm -f -- "$t"; fail "$1" "cannot write $2"; return; fi
  if ! chown -- "$4:$5" "$t" || ! chmod -- "$3" "$t"; then rm -f -- "$t"; fail "$1" "cannot set $4:$5 $3 on $2"; return; fi
  if [ "$6" != - ] && ! out=$("$6" "$t" 2>&1); then rm -f -- "$t"; fail "$1" "validation refused the new $2: $(tail_of "$out")"; return; fi
  sync -- "$t" 2>/dev/null
  if [ -f "$2" ]; then mkdir -p -- "$BACKUP$d" && cp -p -- "$2" "$BACKUP$2"; fi
  if ! mv -fT -- "$t" "$2"; then rm -f -- "$t"; fail "$1" "cannot move the new file into $2"; return; fi
  ok "$1" ''
}
op_attrs() { if chown -h -- "$3:$4" "$2" && chmod -- "$5" "$2"; then ok "$1" ''; else fail "$1" "cannot set $3:$4 $5 on $2"; fi; }
op_mkdir() {
  if [ -e "$2" ] && [ ! -d "$2" ]; then fail "$1" "$2 exists and is not a directory"; return; fi
  if mkdir -p -- "$2" && chown -- "$3:$4" "$2" && chmod -- "$5" "$2"; then ok "$1" ''; else fail "$1" "cannot create $2"; fi
}
op_symlink() {
  t="$2.goldentooth.$$"
  if ln -s -- "$3" "$t" && mv -Tf -- "$t" "$2"; then ok "$1" ''; else rm -f -- "$t"; fail "$1" "cannot link $2 -> $3"; fi
}
op_remove() { if rm -f -- "$2"; then ok "$1" ''; else fail "$1" "cannot remove $2"; fi; }
op_group() { i=$1; shift; if out=$(groupadd --system "$@" 2>&1); then ok "$i" ''; else fail "$i" "$out"; fi; }
op_user() {
  i=$1 name=$2 group=$3 home=$4 shell=$5 exists=$6; shift 6
  if [ "$exists" = 1 ]; then out=$(usermod --gid "$group" --home "$home" --shell "$shell" "$@" -- "$name" 2>&1)
  else out=$(useradd --system --gid "$group" --home-dir "$home" --no-create-home --shell "$shell" "$@" -- "$name" 2>&1); fi
  if [ $? = 0 ]; then ok "$i" ''; else fail "$i" "$out"; fi
}
op_install() {
  i=$1 update=$2; shift 2
  if [ "$update" = 1 ] && ! out=$(apt-get -qq update 2>&1); then fail "$i" "apt-get update: $(tail_of "$out")"; return; fi
  if out=$(apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -- "$@" 2>&1 </dev/null)
  then ok "$i" "installed $*"; else fail "$i" "apt-get install $*: $(tail_of "$out")"; fi
}
op_remove_packages() { i=$1; shift; if out=$(apt-get remove -y -qq -- "$@" 2>&1 </dev/null); then ok "$i" "removed $*"; else fail "$i" "$(tail_of "$out")"; fi; }
op_service() {
  i=$1 unit=$2 enable=$3 disable=$4 start=$5 stop=$6
  if [ "$RELOAD" = 1 ]; then systemctl daemon-reload && RELOAD=0 && rm -f -- "$PENDING/daemon-reload"; fi
  out=''
  if [ "$enable" = 1 ]; then out=$(systemctl enable -- "$unit" 2>&1) || { fail "$i" "enable $unit: $out"; return; }; fi
  if [ "$disable" = 1 ]; then out=$(systemctl disable -- "$unit" 2>&1) || { fail "$i" "disable $unit: $out"; return; }; fi
  if [ "$stop" = 1 ]; then out=$(systemctl stop -- "$unit" 2>&1) || { fail "$i" "stop $unit: $out"; return; }; fi
  if [ "$start" = 1 ]; then
    if ! out=$(systemctl start -- "$unit" 2>&1); then
      fail "$i" "start $unit: $out $(journalctl -u "$unit" -n 10 --no-pager -o cat 2>/dev/null)"; return
    fi
    STARTED="$STARTED$unit "
  fi
  ok "$i" ''
}
op_modprobe() { if out=$(modprobe -- "$2" 2>&1); then ok "$1" ''; else fail "$1" "modprobe $2: $out"; fi; }
op_sysctl() {
  if out=$(sysctl -q -w "$2=$3" 2>&1); then ok "$1" ''
  elif [ "$4" = 1 ]; then say R "$1" skipped "cannot set $2 inside a container: $out"
  else fail "$1" "sysctl $2: $out"; fi
}
op_command() { if out=$("$2" 2>&1 </dev/null); then ok "$1" "$(tail_of "$out")"; else fail "$1" "$(tail_of "$out")"; fi; }
op_artifact() {
  i=$1 path=$2 staged=$3 sum=$4 owner=$5 group=$6 mode=$7
  if [ "$(sha256sum < "$staged" | cut -d' ' -f1)" != "$sum" ]; then fail "$i" "staged copy of $path does not match its SHA-256"; return; fi
  d=$(dirname -- "$path"); mkdir -p -- "$d"
  t=$(mktemp -- "$d/.goldentooth.XXXXXX") || { fail "$i" "cannot create a temporary file in $d"; return; }
  if cp -- "$staged" "$t" && chown -- "$owner:$group" "$t" && chmod -- "$mode" "$t" && sync -- "$t" && mv -fT -- "$t" "$path"
  then rm -f -- "$staged"; ok "$i" ''; else rm -f -- "$t"; fail "$i" "cannot install $path"; fi
}
handler() {
  marker="$1@$2"
  case "$STARTED" in *" $2 "*) rm -f -- "$PENDING/$marker"; say H "$marker" skipped 'started in this run'; return;; esac
  if ! systemctl is-active --quiet -- "$2"; then rm -f -- "$PENDING/$marker"; say H "$marker" skipped 'not running'; return; fi
  if [ "$1" = reload ]; then verb=reload-or-restart; else verb=restart; fi
  if out=$(systemctl "$verb" -- "$2" 2>&1); then rm -f -- "$PENDING/$marker"; say H "$marker" changed ''
  else say H "$marker" failed "$verb $2: $out $(journalctl -u "$2" -n 10 --no-pager -o cat 2>/dev/null)"; FAILED=1; fi
}
exec 9>${shq(paths.lockFile)}
if ! flock -w 300 9; then echo 'L'; exit 75; fi
mkdir -p -- "$PENDING"
`

function mode(value: number): string {
  return value.toString(8).padStart(4, '0')
}

function stepLine(step: ApplyStep, staged: ReadonlyMap<string, string>, helpers: string[]): string {
  const {action, index} = step
  const i = String(index)
  switch (action.op) {
    case 'write': {
      let validator = '-'
      if (action.validate !== undefined) {
        validator = `validate_${index}`
        helpers.push(`${validator}() { ${action.validate.replaceAll('%s', '"$1"')}\n}`)
      }
      const call = shJoin([
        'step',
        i,
        'op_write',
        i,
        action.path,
        mode(action.mode),
        action.owner,
        action.group,
        validator,
      ])
      return `${call} <<'GOLDENTOOTH_EOF'\n${action.content.toString('base64').replace(/.{1,76}/g, '$&\n')}GOLDENTOOTH_EOF`
    }
    case 'attrs': {
      return shJoin(['step', i, 'op_attrs', i, action.path, action.owner, action.group, mode(action.mode)])
    }
    case 'mkdir': {
      return shJoin(['step', i, 'op_mkdir', i, action.path, action.owner, action.group, mode(action.mode)])
    }
    case 'symlink': {
      return shJoin(['step', i, 'op_symlink', i, action.path, action.target])
    }
    case 'remove': {
      return shJoin(['step', i, 'op_remove', i, action.path])
    }
    case 'group': {
      return shJoin([
        'step',
        i,
        'op_group',
        i,
        ...(action.gid === undefined ? [] : ['--gid', String(action.gid)]),
        '--',
        action.name,
      ])
    }
    case 'user': {
      const uid = action.uid === undefined ? [] : ['--uid', String(action.uid)]
      return shJoin([
        'step',
        i,
        'op_user',
        i,
        action.name,
        action.group,
        action.home,
        action.shell,
        action.exists ? '1' : '0',
        ...uid,
      ])
    }
    case 'install': {
      return shJoin(['step', i, 'op_install', i, action.update ? '1' : '0', ...action.names])
    }
    case 'purge': {
      return shJoin(['step', i, 'op_remove_packages', i, ...action.names])
    }
    case 'service': {
      const flags = [action.enable, action.disable, action.start, action.stop].map((flag) => (flag ? '1' : '0'))
      return shJoin(['step', i, 'op_service', i, action.unit, ...flags])
    }
    case 'modprobe': {
      return shJoin(['step', i, 'op_modprobe', i, action.name])
    }
    case 'sysctl': {
      return shJoin(['step', i, 'op_sysctl', i, action.name, action.value, action.tolerateFailure ? '1' : '0'])
    }
    case 'command': {
      helpers.push(`command_${index}() { ${action.run}\n}`)
      return shJoin(['step', i, 'op_command', i, `command_${index}`])
    }
    case 'artifact': {
      const stagedPath = staged.get(action.localPath)
      if (stagedPath === undefined) throw new Error(`artifact ${action.localPath} was not staged`)
      return shJoin([
        'step',
        i,
        'op_artifact',
        i,
        action.path,
        stagedPath,
        action.sha256,
        action.owner,
        action.group,
        mode(action.mode),
      ])
    }
  }
}

export function applyScript(plan: ApplyPlan, paths: EnginePaths = ENGINE_PATHS): string {
  const helpers: string[] = []
  const body: string[] = []
  const anyUnit = plan.daemonReloadPending || plan.steps.some((step) => step.unitChanged)
  const markers = [...plan.handlers.map(markerName), ...(anyUnit ? [DAEMON_RELOAD_MARKER] : [])]
  if (markers.length > 0) body.push(`touch -- ${markers.map((marker) => `"$PENDING"/${shq(marker)}`).join(' ')}`)
  if (plan.daemonReloadPending) body.push('RELOAD=1')
  for (const step of plan.steps) {
    body.push(stepLine(step, plan.staged, helpers))
    if (step.unitChanged) body.push('[ "$FAILED" = 0 ] && RELOAD=1')
  }
  body.push(
    'if [ "$FAILED" = 0 ] && [ "$RELOAD" = 1 ]; then',
    '  if out=$(systemctl daemon-reload 2>&1); then rm -f -- "$PENDING/daemon-reload"; say H daemon-reload changed ""; else say H daemon-reload failed "$out"; FAILED=1; fi',
    'fi',
  )
  for (const handler of plan.handlers)
    body.push(`[ "$FAILED" = 0 ] && ${shJoin(['handler', handler.action, handler.unit])}`)
  body.push('exit "$FAILED"')
  return `${runtime(paths)}${helpers.join('\n')}\n${body.join('\n')}\n`
}
