"""Ask Ansible itself (through its Python API) what an inventory holds: the differential tests' reference.

Reads a JSON request on stdin: {"inventory": PATH, "patterns": [[PATTERN, LIMIT or null], ...], "hosts_vars": bool,
"vault_password_file": PATH or null, "ordered_walk": bool} and prints a JSON answer: {"patterns": [{"hosts": [...]} or
{"error": "..."}], "vars": {HOST: {...}}}. Each pattern is evaluated with fresh caches, as one `ansible PATTERN
--list-hosts` would.

With "ordered_walk" deep groups are walked in insertion order (ansible_walk.py); everything else is Ansible's own
code.
"""
import json
import sys

from ansible.cli import CLI
from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager

from ansible_walk import walk_in_insertion_order


request = json.load(sys.stdin)
if request.get("ordered_walk"):
    walk_in_insertion_order()

loader = DataLoader()
if request.get("vault_password_file"):
    loader.set_vault_secrets(CLI.setup_vault_secrets(loader, [], vault_password_files=[request["vault_password_file"]]))
inventory = InventoryManager(loader=loader, sources=[request["inventory"]])

answer = {"patterns": [], "vars": {}}
for pattern, limit in request.get("patterns", []):
    inventory.clear_caches()
    try:
        inventory.subset(limit)
        answer["patterns"].append({"hosts": [h.name if hasattr(h, "name") else h for h in inventory.list_hosts(pattern)]})
    except Exception as error:  # AnsibleError, and the IndexError a bare '!' raises
        answer["patterns"].append({"error": str(error)})
    inventory.subset(None)

if request.get("host_vars"):
    manager = VariableManager(loader=loader, inventory=inventory)
    keep_magic = {"inventory_hostname", "inventory_hostname_short", "group_names", "groups", "inventory_dir", "inventory_file"}
    drop = {"playbook_dir", "ansible_playbook_python", "ansible_config_file", "omit", "ansible_version", "ansible_check_mode",
            "ansible_diff_mode", "ansible_forks", "ansible_inventory_sources", "ansible_skip_tags", "ansible_run_tags",
            "ansible_verbosity", "ansible_facts", "hostvars"}
    for host in inventory.get_hosts():
        got = manager.get_vars(host=host, include_hostvars=False)
        answer["vars"][host.name] = {k: v for k, v in got.items() if k not in drop or k in keep_magic}

json.dump(answer, sys.stdout, default=str)
