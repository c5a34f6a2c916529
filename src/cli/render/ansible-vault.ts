import type {VaultEditReport} from '../../services/ansible-vault-edit.js'
import type {VaultEncryptStringReport, VaultFilesReport, VaultViewReport} from '../../services/ansible-vault.js'
import type {Renderer} from '../renderer.js'

/** The plaintexts, one after another, as ansible-vault view prints them. */
export const vaultViewRenderer: Renderer<VaultViewReport> = {
  text: ({files}) => ({stdout: files.map((file) => file.plaintext).join('')}),
}

/** The result on stdout when it went there; otherwise one line per file on stderr. */
export const vaultFilesRenderer: Renderer<VaultFilesReport> = {
  text: ({action, files, stdout}) => ({
    stderr: files
      .filter((file) => file.output !== '-')
      .map((file) => `${file.file}: ${action}${file.output === file.file ? '' : ` into ${file.output}`}\n`)
      .join(''),
    stdout: stdout ?? '',
  }),
}

export const vaultEditRenderer: Renderer<VaultEditReport> = {
  text: ({file, outcome}) => ({stderr: `${file}: ${outcome}\n`}),
}

export const vaultEncryptStringRenderer: Renderer<VaultEncryptStringReport> = {
  json: ({name, vaultText}) => ({name, vaultText}),
  text: ({snippet}) => ({stdout: snippet}),
}
