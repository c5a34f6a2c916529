import type {HostCheck, Suite} from '../model.js'

import {clockVerdict} from '../clock.js'
import {keyValues} from '../units.js'
import {fail, pass, probeProblem, skip} from '../verdict.js'

const DAEMONS = ['systemd-timesyncd', 'chrony', 'chronyd', 'ntpsec', 'ntp', 'openntpd']

const clock: HostCheck = {
  evaluate: (input) => [clockVerdict(input)],
  groups: ['all'],
  name: 'clock_offset',
  summary: "The node's clock against the operator's, the round trip accounted for",
}

const sync: HostCheck = {
  evaluate: ({result}) => {
    const expected = 'the clock synchronized by NTP'
    const problem = probeProblem(result, 'timedatectl')
    if (problem || !result) return [fail('time_sync', expected, problem ?? 'no result')]
    const values = keyValues(result.stdout)
    const virt = values.get('virt') ?? ''
    if (virt !== '' && virt !== 'none') {
      return [skip('time_sync', expected, `container (${virt}): its clock is the host's, synchronized there`)]
    }
    const running = DAEMONS.filter((daemon) => values.get(`unit.${daemon}`) === 'active')
    const daemons = running.length > 0 ? running.join(', ') : 'no time daemon'
    return values.get('NTPSynchronized') === 'yes'
      ? [pass('time_sync', expected, `synchronized (${daemons} active)`)]
      : [
          fail(
            'time_sync',
            expected,
            `not synchronized (NTPSynchronized=${values.get('NTPSynchronized') ?? 'unknown'}; ${daemons} active)`,
            'configure_cluster installs systemd-timesyncd; timedatectl timesync-status',
          ),
        ]
  },
  groups: ['all'],
  name: 'time_sync',
  probe: () => ({
    script: `printf 'virt=%s\\n' "$(systemd-detect-virt --container 2>/dev/null)"
timedatectl show -p NTP -p NTPSynchronized 2>/dev/null
for u in ${DAEMONS.join(' ')}; do printf 'unit.%s=%s\\n' "$u" "$(systemctl is-active "$u" 2>/dev/null)"; done
true`,
  }),
  summary: "NTP synchronization (not applicable inside a container, whose clock is its host's)",
}

export const TIME: Suite = {
  clusterChecks: [],
  hostChecks: [clock, sync],
  name: 'time',
  summary: "Clock offset against the operator's clock, and time synchronization, on every host.",
}
