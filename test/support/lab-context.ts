import {inject} from 'vitest'

/** Why the lab cannot run here ('' when it can); provided by test/support/lab-global-setup.ts. */
export function labUnavailable(): string {
  return inject('labUnavailable')
}
