/** Real X.509 certificates with chosen validity windows, made with the openssl CLI (`openssl ca -startdate/-enddate`). */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface TestCa {
  dir: string
  cert: string
  key: string
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, {cwd, stdio: ['ignore', 'pipe', 'pipe']})

export function makeCa(name = 'goldentooth test root'): TestCa {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-ca-'))
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      `/CN=${name}`,
      '-days',
      '3650',
    ],
    dir,
  )
  writeFileSync(path.join(dir, 'index.txt'), '')
  writeFileSync(path.join(dir, 'serial'), '1000\n')
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = gt\n[gt]\ndir = ${dir}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir\ncertificate = $dir/ca.crt\nprivate_key = $dir/ca.key\nserial = $dir/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n`,
  )
  return {cert: path.join(dir, 'ca.crt'), dir, key: path.join(dir, 'ca.key')}
}

const stamp = (date: Date) => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`

/** A leaf certificate for `cn`, valid from `notBefore` to `notAfter`, signed by `ca`; returns its PEM file. */
export function issue(ca: TestCa, cn: string, notBefore: Date, notAfter: Date): string {
  const base = path.join(ca.dir, `${cn}-${notAfter.getTime()}`)
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
      '-subj',
      `/CN=${cn}`,
    ],
    ca.dir,
  )
  openssl(
    [
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-in',
      `${base}.csr`,
      '-out',
      `${base}.crt`,
      '-startdate',
      stamp(notBefore),
      '-enddate',
      stamp(notAfter),
      '-notext',
    ],
    ca.dir,
  )
  return `${base}.crt`
}
