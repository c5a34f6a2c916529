import type {HostCheck, HostInput, Probe, Verdict} from './model.js'

import {shq} from '../transport/quote.js'
import {fail, pass, probeProblem} from './verdict.js'

/** A known failure a unit logs, and what fixes it. */
export interface JournalSign {
  pattern: RegExp
  hint: (input: HostInput) => string
}

const JOURNAL_MARK = '--- journal ---'

/** `systemctl show` of one unit, then (optionally) matching lines of its recent journal; healthy when active. */
export function unitProbe(unit: string, signs: readonly JournalSign[] = []): Probe {
  const show = `systemctl show --no-pager -p LoadState -p ActiveState -p SubState -p UnitFileState -p Result -- ${shq(unit)}`
  const journal =
    signs.length > 0
      ? `\necho ${shq(JOURNAL_MARK)}\njournalctl -u ${shq(unit)} -n 300 --no-pager -o cat 2>/dev/null | grep -E ${shq(
          signs.map((sign) => sign.pattern.source).join('|'),
        )} | tail -n 3`
      : ''
  return {script: `${show}${journal}\n[ "$(systemctl is-active -- ${shq(unit)})" = active ]`}
}

/** `KEY=value` lines (systemctl show) as a map. */
export function keyValues(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const at = line.indexOf('=')
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1))
  }
  return values
}

const ENABLED = new Set(['alias', 'enabled', 'enabled-runtime', 'generated', 'static'])

/** Active and enabled: running now and started again after a reboot. */
export function unitVerdict(name: string, unit: string, input: HostInput, signs: readonly JournalSign[] = []): Verdict {
  const expected = `${unit} active and enabled`
  const problem = probeProblem(input.result, 'systemctl')
  if (problem || !input.result) return fail(name, expected, problem ?? 'no result')
  const [showText = '', journalText = ''] = input.result.stdout.split(`${JOURNAL_MARK}\n`)
  const show = keyValues(showText)
  const load = show.get('LoadState') ?? ''
  const active = show.get('ActiveState') ?? ''
  const sub = show.get('SubState') ?? ''
  const enabled = show.get('UnitFileState') ?? ''
  const result = show.get('Result') ?? ''
  const journal = journalText.trim()
  const known = signs.find((sign) => sign.pattern.test(journal))
  const withJournal = (observed: string) => (journal ? `${observed}; journal: ${journal.split('\n').pop()}` : observed)
  if (load === 'not-found') {
    return fail(name, expected, `${unit} is not installed`, `install it with the role that provides ${unit}`)
  }
  if (load === 'masked') return fail(name, expected, `${unit} is masked`, `systemctl unmask ${unit}`)
  const state = `${active} (${sub})${result && result !== 'success' ? `, last result ${result}` : ''}, ${enabled || 'no unit file'}`
  if (active !== 'active') {
    return fail(
      name,
      expected,
      withJournal(state),
      known?.hint(input) ?? `journalctl -u ${unit} -n 50; then systemctl start ${unit}`,
    )
  }
  if (!ENABLED.has(enabled)) {
    return fail(name, expected, state, `systemctl enable ${unit} (it would not start after a reboot)`)
  }
  return pass(name, expected, state)
}

/** A host check: the unit is active and enabled on every host of `groups`. */
export function unitCheck(
  unit: string,
  groups: readonly string[],
  signs: readonly JournalSign[] = [],
  summary = `${unit} is active and enabled`,
): HostCheck {
  const name = `unit:${unit}`
  return {
    evaluate: (input) => [unitVerdict(name, unit, input, signs)],
    groups,
    name,
    probe: () => unitProbe(unit, signs),
    summary,
  }
}
