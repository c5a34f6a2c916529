import type {Suite} from './model.js'
import type {SuiteName} from './suite-names.js'

import {CERTIFICATES} from './suites/certificates.js'
import {CONSUL} from './suites/consul.js'
import {GPU} from './suites/gpu.js'
import {NFS} from './suites/nfs.js'
import {NOMAD} from './suites/nomad.js'
import {SEAWEEDFS} from './suites/seaweedfs.js'
import {SLURM} from './suites/slurm.js'
import {SSH} from './suites/ssh.js'
import {STEP_CA} from './suites/step_ca.js'
import {SYSTEM} from './suites/system.js'
import {TIME} from './suites/time.js'
import {VAULT} from './suites/vault.js'
import {ZFS} from './suites/zfs.js'

/** Every suite, in the order reports list them. */
export const SUITES: readonly Suite[] = [
  SYSTEM,
  TIME,
  SSH,
  CERTIFICATES,
  STEP_CA,
  CONSUL,
  VAULT,
  NOMAD,
  SLURM,
  NFS,
  ZFS,
  SEAWEEDFS,
  GPU,
]

export function suiteNamed(name: SuiteName): Suite {
  const suite = SUITES.find((candidate) => candidate.name === name)
  if (!suite) throw new Error(`no suite ${name}`)
  return suite
}
