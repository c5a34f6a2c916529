import type {Notify} from '../../engine/resources.js'

/**
 * A TLS certificate a service role asks for. The PKI role module (setup_step_ca) owns the mechanism that turns this
 * into resources: issue from the cluster CA with these SANs (never re-issue a valid one), files owned by the service
 * user with mode 0600, the cert-renewer@<name> timer and drop-in (CERT_LOCATION, KEY_LOCATION, the reload of the
 * service, the renewal threshold), and the plan-time renewal arithmetic check.
 */
export interface ServiceCertificateSpec {
  certPath: string
  /** CN; also the first SAN. */
  commonName: string
  group: string
  keyPath: string
  /** Requested lifetime, e.g. '24h' (the CA's maximum is 168h). */
  lifetime: string
  /** Instance name of cert-renewer@<name>: usually the service. */
  name: string
  owner: string
  /** What to do with the service after a renewal. */
  reload?: Notify
  /** Extra SANs: hostname, node FQDN, service names such as vault.service.consul, IP, localhost. */
  sans: string[]
  /** Renew when this share of the lifetime is left, e.g. 0.34 (step's `--expires-in 66%` means 66% elapsed). */
  renewWhenLeft?: number
}
