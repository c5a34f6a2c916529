import type {ProbeSpec} from '../probe-spec.js'

import {randomBytes} from 'node:crypto'

import {shJoin, shq} from '../../transport/quote.js'
import {ENGINE_PATHS, type EnginePaths} from './paths.js'

/**
 * The probe: one POSIX sh script, one round trip per host. It reports the facts roles need and the current state of
 * everything the plan touches, and changes nothing. Its first line is a random boundary; each item follows as
 * `\nBOUNDARY TAG KEY\n` and then the raw output of the commands that read it (file contents in base64). Process
 * starts are what a probe costs on a small host, so every item is read by as few commands as it takes.
 */
const PRELUDE = String.raw`export LC_ALL=C
item() { printf '\n%s %s %s\n' "$B" "$1" "$2"; }
fact() { item F "$1"; shift; "$@" 2>/dev/null; }
probe_path() {
  item P "$1"
  if [ ! -e "$2" ] && [ ! -L "$2" ]; then printf absent; return; fi
  stat -c '%f %a %U %G %s' -- "$2"
  if [ -L "$2" ]; then readlink -- "$2"; else echo; fi
  if [ ! -f "$2" ] || [ -L "$2" ]; then echo
  elif [ "$3" = 1 ]; then printf 'base64 '; base64 -w0 < "$2"
  else sha256sum < "$2"
  fi
}
probe_module() {
  item M "$1"
  if [ -d "/sys/module/$2" ] || grep -q "^$2 " /proc/modules 2>/dev/null \
    || grep -q "/$2\.ko" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null; then
    printf loaded
  elif [ ! -e /proc/modules ]; then printf builtin-kernel
  else printf missing
  fi
}
probe_sysctl() { item S "$1"; sysctl -n -- "$2" 2>/dev/null; }
probe_user() { item U "$1"; getent passwd "$2" 2>/dev/null && id -gn "$2" 2>/dev/null; }
probe_group() { item G "$1"; getent group "$2" 2>/dev/null; }
probe_creates() { item C "$1"; if [ -e "$2" ]; then printf yes; else printf no; fi; }
probe_unless() { ( "$2" ) >/dev/null 2>&1 </dev/null; status=$?; item X "$1"; printf '%s' "$status"; }
`

const FACTS = String.raw`fact now date +%s
fact machine uname -m
fact kernel uname -r
fact dpkg_arch dpkg --print-architecture
fact os_release cat /etc/os-release
fact nproc nproc
fact lscpu lscpu -J
fact meminfo cat /proc/meminfo
fact hostname hostname
fact fqdn hostname -f
fact addresses ip -j addr show
fact systemd systemctl --version
fact virt systemd-detect-virt
fact nvidia_smi sh -c 'command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=index,name,memory.total,uuid,driver_version --format=csv,nounits'
fact lspci_gpus sh -c 'command -v lspci >/dev/null && lspci -nn -d 10de:'
fact lsblk lsblk -J -b -o NAME,TYPE,SIZE,FSTYPE,MOUNTPOINT,PTTYPE,MODEL
fact apt_lists sh -c 'ls -t /var/lib/apt/lists/*_Packages* 2>/dev/null | head -1 | xargs -r stat -c %Y'
fact python3 sh -c 'command -v python3'
`

/** A line no probed output contains by chance (128 random bits). */
function probeBoundary(): string {
  return `GT-PROBE-${randomBytes(16).toString('hex')}`
}

export function probeScript(spec: ProbeSpec, paths: EnginePaths = ENGINE_PATHS, boundary = probeBoundary()): string {
  const lines = [`B=${boundary}`, 'printf \'%s\\n\' "$B"', PRELUDE, FACTS]
  spec.paths.forEach(({content, path}, index) => lines.push(`probe_path ${index} ${shq(path)} ${content ? 1 : 0}`))
  spec.users.forEach((name, index) => lines.push(`probe_user ${index} ${shq(name)}`))
  spec.groups.forEach((name, index) => lines.push(`probe_group ${index} ${shq(name)}`))
  spec.modules.forEach((name, index) => lines.push(`probe_module ${index} ${shq(name)}`))
  spec.sysctls.forEach((name, index) => lines.push(`probe_sysctl ${index} ${shq(name)}`))
  spec.guards.forEach(({creates, unless}, index) => {
    if (creates !== undefined) lines.push(`probe_creates ${index} ${shq(creates)}`)
    if (unless !== undefined) {
      lines.push(`unless_${index}() { ${unless}\n}`, `probe_unless ${index} unless_${index}`)
    }
  })
  if (spec.packages.length > 0) {
    lines.push(
      'item K all',
      `dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- ${shJoin(spec.packages)} 2>/dev/null`,
    )
  }
  if (spec.units.length > 0) {
    lines.push(
      'item D all',
      `systemctl show --no-pager -p Id -p LoadState -p ActiveState -p SubState -p UnitFileState -p ConditionResult -p ConditionTimestamp -- ${shJoin(spec.units)} 2>/dev/null`,
    )
  }
  lines.push('item Q all', `ls -1 ${shq(paths.pendingDir)} 2>/dev/null`)
  return `${lines.join('\n')}\n`
}
