import type {HostResult} from './results.js'
import type {Outcome} from './session.js'

type Base = Pick<HostResult, 'durationMs' | 'host'>

/** Turn a session outcome into a host result; `done` maps the work's own value. */
export function resultOf<T>(outcome: Outcome<T>, done: (value: T, base: Base) => HostResult): HostResult {
  const base = {durationMs: outcome.durationMs, host: outcome.host}
  const noRun = {exitCode: null, stderr: '', stdout: ''}
  switch (outcome.status) {
    case 'unreachable': {
      return {...base, ...noRun, error: outcome.error.message, status: 'unreachable'}
    }
    case 'failed': {
      return {...base, ...noRun, error: outcome.error.message, status: 'failed'}
    }
    case 'interrupted': {
      return {...base, ...noRun, error: 'interrupted', status: 'failed'}
    }
    case 'done': {
      return done(outcome.value, base)
    }
  }
}
