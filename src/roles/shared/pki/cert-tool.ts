import {createHash} from 'node:crypto'

/** Where each host keeps what it knows about its service certificates. */
export const CERT_PATHS = {
  /** One `<name>.env` per certificate: what to ask the CA for, and what to do after. */
  requestDir: '/etc/goldentooth/certificates',
  /** A copy of the request each certificate was last issued from. */
  issuedDir: '/var/lib/goldentooth/certificates',
  tool: '/usr/local/sbin/goldentooth-cert',
}

export function requestPath(name: string): string {
  return `${CERT_PATHS.requestDir}/${name}.env`
}

export function requestHash(content: string): string {
  return createHash('sha256').update(content).digest('hex')
}
