"""Group._walk_relationship in insertion order.

Group.get_hosts() walks grandchildren and deeper through Python sets, so Ansible's order for deep groups changes from
run to run. This walk iterates its sets in insertion order instead: goldentooth's choice, one of the orders Ansible
can produce.
"""
from itertools import chain

from ansible.inventory.group import Group


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


def walk_in_insertion_order():
    Group._walk_relationship = _walk_in_insertion_order
