import {GoldentoothError} from '../core/errors.js'
import {EXIT} from '../core/exit-codes.js'

export type ConnectErrorKind =
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'unreachable'
  | 'auth'
  | 'closed'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'host-cert-invalid'
  | 'lab-down'
  | 'socket-missing'
  | 'config'
  | 'other'

/**
 * One host could not be reached, or could not be trusted. The message is one line naming the address; the run goes on
 * with the other hosts and ends with exit 1.
 */
export class ConnectError extends GoldentoothError {
  readonly kind: ConnectErrorKind

  constructor(kind: ConnectErrorKind, message: string, hint?: string) {
    super(message, EXIT.failed, hint)
    this.kind = kind
  }
}

/** A file could not be copied to or from one host (exit 1 for the run; the other hosts go on). */
export class TransferError extends GoldentoothError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.failed, hint)
  }
}
