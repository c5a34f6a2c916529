"""ansible-playbook itself, with two changes that leave what a task renders alone.

Tasks run in this process instead of one forked worker per host and task (a fork costs about a third of a second, too
much for thousands of them): StrategyBase._queue_task hands Ansible's own TaskExecutor a copy of the task (it templates
the task in place, and the strategy shares one task between hosts), and the result goes back through the results
queue as a worker's would. GOLDENTOOTH_ANSIBLE_FORKS=1 keeps Ansible's forked workers, to check that the answers are
the same.

Deep groups are walked in insertion order (ansible_walk.py), so `groups` is deterministic.
"""
import os
import sys

from ansible.cli.playbook import main
from ansible.executor.task_executor import TaskExecutor
from ansible.plugins import loader as plugin_loader
from ansible.plugins.strategy import StrategyBase

from ansible_walk import walk_in_insertion_order


def _run_here(self, host, task, task_vars, play_context):
    self._queued_task_cache[(host.name, task._uuid)] = {
        "host": host,
        "task": task,
        "task_vars": task_vars,
        "play_context": play_context,
    }
    self._tqm.send_callback("v2_runner_on_start", host, task)
    copy = task.copy(exclude_tasks=True)
    result = TaskExecutor(host, copy, task_vars, play_context, None, self._loader, plugin_loader, self._final_q).run()
    self._final_q.send_task_result(host.name, task._uuid, result, task_fields=copy.dump_attrs())
    self._pending_results += 1


walk_in_insertion_order()
if os.environ.get("GOLDENTOOTH_ANSIBLE_FORKS") != "1":
    StrategyBase._queue_task = _run_here
sys.argv[0] = "ansible-playbook"
main()
