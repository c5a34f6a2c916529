import type {RenderedFile} from './render.js'

/** What one real validator said about one rendered file. */
export interface ValidationResult {
  file: string
  /** Every host whose rendered input was identical (validated once). */
  hosts: string[]
  /** Lines that mean the file is wrong. */
  errors: string[]
  /** Lines that only say this machine lacks something the host will have (a binary a role installs, say). */
  notes: string[]
  validator: string
}

/** A check that runs a real tool on rendered files (systemd-analyze, sshd -t, HCL, slurm). */
export interface Validator {
  applies(file: RenderedFile): boolean
  name: string
  /** `files` are one host's files (or several identical hosts'); the results name those hosts. */
  run(files: readonly RenderedFile[], hosts: string[]): Promise<ValidationResult[]>
}
