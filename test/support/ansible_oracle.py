"""Ask Ansible itself (through its Python API) what an inventory holds: the differential tests' reference.

Reads a JSON request on stdin: {"inventory": PATH, "patterns": [[PATTERN, LIMIT or null], ...], "hosts_vars": bool,
"vault_password_file": PATH or null, "ordered_walk": bool} and prints a JSON answer: {"patterns": [{"hosts": [...]} or
{"error": "..."}], "vars": {HOST: {...}}}. Each pattern is evaluated with fresh caches, as one `ansible PATTERN
--list-hosts` would.

Group.get_hosts() walks grandchildren and deeper through Python sets, so Ansible's order for deep groups changes from
run to run. With "ordered_walk" that one walk iterates its sets in insertion order instead (goldentooth's choice, one of
the orders Ansible can produce); everything else is Ansible's own code.
"""
import json
import sys
from itertools import chain

from ansible.cli import CLI
from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager


def _walk_in_insertion_order(self, rel, include_self=False, preserve_ordering=False):
    seen = []
    unprocessed = ([self] if include_self else []) + list(getattr(self, rel))
    if preserve_ordering:
        ordered = [self] if include_self else []
        ordered.extend(getattr(self, rel))
    while unprocessed:
        seen.extend(g for g in unprocessed if g not in seen)
        new_unprocessed = []
        for new_item in chain.from_iterable(getattr(g, rel) for g in unprocessed):
            if new_item not in new_unprocessed:
                new_unprocessed.append(new_item)
            if preserve_ordering and new_item not in seen:
                ordered.append(new_item)
        unprocessed = [g for g in new_unprocessed if g not in seen]
    return ordered if preserve_ordering else set(seen)


request = json.load(sys.stdin)
if request.get("ordered_walk"):
    from ansible.inventory.group import Group
    Group._walk_relationship = _walk_in_insertion_order

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
