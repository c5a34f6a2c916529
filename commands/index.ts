import {ROLES} from '../src/roles/catalog.js'
import Autocomplete from './autocomplete.js'
import Batch from './batch.js'
import CommandCmd from './command.js'
import CommandAll from './command_all.js'
import CommandRoot from './command_root.js'
import Cp from './cp.js'
import Heredoc from './heredoc.js'
import InventoryEval from './inventory/eval.js'
import InventoryGraph from './inventory/graph.js'
import InventoryHosts from './inventory/hosts.js'
import InventoryShow from './inventory/show.js'
import LabDown from './lab/down.js'
import LabReset from './lab/reset.js'
import LabSsh from './lab/ssh.js'
import LabStatus from './lab/status.js'
import LabUp from './lab/up.js'
import ListGroups from './list_groups.js'
import Ping from './ping.js'
import Pipe from './pipe.js'
import Render from './render.js'
import RotateCerts from './rotate_certs.js'
import Shell from './shell.js'
import Test from './test/index.js'
import TestAll from './test/all.js'
import TestList from './test/list.js'
import {setupCommand} from './setup.js'
import SshTrust from './ssh/trust.js'
import Uptime from './uptime.js'
import Validate from './validate.js'
import ZapClusterCa from './zap_cluster_ca.js'
import VaultDecrypt from './vault/decrypt.js'
import VaultEdit from './vault/edit.js'
import VaultEncrypt from './vault/encrypt.js'
import VaultEncryptString from './vault/encrypt_string.js'
import VaultInit from './vault/init.js'
import VaultRekey from './vault/rekey.js'
import VaultUnseal from './vault/unseal.js'
import VaultView from './vault/view.js'

export const COMMANDS = {
  autocomplete: Autocomplete,
  batch: Batch,
  command: CommandCmd,
  command_all: CommandAll,
  command_root: CommandRoot,
  cp: Cp,
  heredoc: Heredoc,
  'inventory:eval': InventoryEval,
  'inventory:graph': InventoryGraph,
  'inventory:hosts': InventoryHosts,
  'inventory:show': InventoryShow,
  'lab:down': LabDown,
  'lab:reset': LabReset,
  'lab:ssh': LabSsh,
  'lab:status': LabStatus,
  'lab:up': LabUp,
  list_groups: ListGroups,
  ping: Ping,
  pipe: Pipe,
  render: Render,
  rotate_certs: RotateCerts,
  shell: Shell,
  'ssh:trust': SshTrust,
  test: Test,
  'test:all': TestAll,
  'test:list': TestList,
  uptime: Uptime,
  validate: Validate,
  zap_cluster_ca: ZapClusterCa,
  'vault:decrypt': VaultDecrypt,
  'vault:edit': VaultEdit,
  'vault:encrypt': VaultEncrypt,
  'vault:encrypt_string': VaultEncryptString,
  'vault:init': VaultInit,
  'vault:rekey': VaultRekey,
  'vault:unseal': VaultUnseal,
  'vault:view': VaultView,
  ...Object.fromEntries(ROLES.map((entry) => [entry.command, setupCommand(entry)])),
}
