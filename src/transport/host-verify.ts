import {ConnectError} from './errors.js'
import {CertificateFormatError, hostCertificateProblem, parseCertificate} from './host-cert.js'
import {
  blobKeyType,
  checkHostKey,
  fingerprint,
  hostKeyAlgorithms,
  type HostKeyAlgorithm,
  type HostKeyVerdict,
  type KnownHostsEntry,
  revokedKeys,
} from './known-hosts.js'
import type {ExecResult, SshTarget} from './types.js'

/**
 * Host key verification for one connection attempt, fed to ssh2's hostVerifier. It remembers the key the server proved
 * and the verdict, to explain a refusal and to know whether a host certificate must still be checked.
 */
export class HostKeyCheck {
  presented: Buffer | undefined
  verdict: HostKeyVerdict | undefined

  private readonly target: SshTarget
  private readonly entries: readonly KnownHostsEntry[]

  constructor(target: SshTarget, entries: readonly KnownHostsEntry[]) {
    this.target = target
    this.entries = entries
  }

  algorithms(): HostKeyAlgorithm[] {
    return hostKeyAlgorithms(this.entries, this.target.knownHostsName)
  }

  readonly verify = (key: Buffer): boolean => {
    this.presented = key
    this.verdict = checkHostKey(this.entries, this.target.knownHostsName, key)
    return this.verdict.status === 'known' || this.verdict.status === 'certificate-required'
  }

  /** The refusal, once verify() said no. */
  error(): ConnectError {
    const {knownHostsName: name, address, port, knownHostsFiles: files} = this.target
    const key = this.presented ?? Buffer.alloc(0)
    const presented = `${fingerprint(key)} (${blobKeyType(key)})`
    const verdict = this.verdict
    if (verdict?.status === 'revoked')
      return new ConnectError(
        'host-key-revoked',
        `host key ${presented} of ${name} is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}`,
      )
    if (verdict?.status === 'changed') {
      const [known] = verdict.entries as [KnownHostsEntry]
      return new ConnectError(
        'host-key-changed',
        `host key for ${name} has changed: the host presented ${presented}, ${known.file}:${known.line} has ${fingerprint(known.key)} (${known.keyType})`,
        `if the host was really reinstalled, remove the old key (ssh-keygen -R '${name}' -f ${known.file}) and add the new one`,
      )
    }
    return new ConnectError(
      'host-key-unknown',
      `host key for ${name} is not in known_hosts (${files.join(', ') || 'no known_hosts files'})`,
      `check that ${presented} is the host's key (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on it), then: ssh-keyscan -p ${port} ${address} >> ${files[0] ?? '~/.ssh/known_hosts'}`,
    )
  }
}

/**
 * Where the host's certificates live: the usual /etc/ssh files, and the HostCertificate files of the sshd that serves
 * this session (found from its listener's command line, read with `sshd -T` when allowed, else from the config text).
 */
const FETCH_CERTIFICATES = `
config=/etc/ssh/sshd_config
pid=$PPID
while [ -n "$pid" ] && [ "$pid" -gt 1 ] 2>/dev/null; do
  line=$(tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null)
  case "$line" in
    *'[listener]'*) case "$line" in *' -f '*) config=\${line#* -f }; config=\${config%% *};; esac; break;;
  esac
  pid=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$pid/status 2>/dev/null)
done
sshd=$(command -v sshd || echo /usr/sbin/sshd)
{
  ls /etc/ssh/ssh_host_*-cert.pub 2>/dev/null
  if settings=$("$sshd" -T -f "$config" 2>/dev/null); then
    printf '%s\\n' "$settings" | sed -n 's/^hostcertificate //p'
  else
    sed -n 's/^[[:space:]]*hostcertificate[[:space:]=]*//Ip' "$config" 2>/dev/null
  fi
} | sort -u | while IFS= read -r file; do cat "$file" 2>/dev/null; echo; done
`

/**
 * ssh2 cannot negotiate host certificates, so a host trusted only through @cert-authority is accepted provisionally
 * and, before anything else runs, must show a certificate that a trusted CA signed, that is valid now, names the host
 * and certifies exactly the key the server proved in the key exchange.
 */
export async function verifyHostCertificate(
  run: (command: string) => Promise<ExecResult>,
  target: SshTarget,
  entries: readonly KnownHostsEntry[],
  authorities: readonly KnownHostsEntry[],
  hostKey: Buffer,
): Promise<ConnectError | undefined> {
  const principal = certificatePrincipal(target)
  const rejected = (reason: string) =>
    new ConnectError(
      'host-cert-invalid',
      `host certificate of ${target.knownHostsName} rejected: ${reason}`,
      `renew the host's certificate, or check the @cert-authority lines in ${[...new Set(authorities.map((a) => a.file))].join(', ')}`,
    )
  const result = await run(FETCH_CERTIFICATES)
  const certificates = result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([type, data]) => type?.endsWith('-cert-v01@openssh.com') && data)
    .flatMap(([, data]) => {
      try {
        return [parseCertificate(Buffer.from(data as string, 'base64'))]
      } catch (err) {
        if (err instanceof CertificateFormatError) return []
        throw err
      }
    })
  if (certificates.length === 0)
    return rejected(`the host presented ${fingerprint(hostKey)} and has no host certificate to vouch for it`)
  const check = {
    hostKey,
    principal,
    authorities: authorities.map((entry) => entry.key),
    revoked: revokedKeys(entries, target.knownHostsName),
    now: new Date(),
  }
  const problems = certificates.map((cert) => hostCertificateProblem(cert, check))
  if (problems.includes(undefined)) return undefined
  const forThisKey = certificates.findIndex((cert) => cert.publicKey.equals(hostKey))
  return rejected(problems[forThisKey === -1 ? 0 : forThisKey] as string)
}

/** The name a host certificate must list: HostKeyAlias when set, else the address (never with the port). */
export function certificatePrincipal(target: SshTarget): string {
  return target.knownHostsName === `[${target.address}]:${target.port}`.toLowerCase()
    ? target.address
    : target.knownHostsName
}
