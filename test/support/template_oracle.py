"""Ask Ansible's own Templar what templates evaluate to for one inventory host: the template engine's reference.

Reads a JSON request on stdin: {"inventory": PATH, "host": NAME, "templates": [TEXT, ...], "render": [TEXT, ...]} and
prints a JSON answer with one result per template: {"repr": repr(value)} or {"error": message, "undefined": bool}.
"templates" are templated as variables are (Templar.template: convert_data=True); "render" as the template module
renders a file (convert_data=False, escape_backslashes=False, trim_blocks=True).
"""
import json
import sys

from ansible.errors import AnsibleError, AnsibleUndefinedVariable
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.template import AnsibleEnvironment, Templar
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager
from jinja2.exceptions import UndefinedError

request = json.load(sys.stdin)
loader = DataLoader()
inventory = InventoryManager(loader=loader, sources=[request["inventory"]])
variable_manager = VariableManager(loader=loader, inventory=inventory)
HostVars(inventory=inventory, variable_manager=variable_manager, loader=loader)
variables = variable_manager.get_vars(host=inventory.get_host(request["host"]), include_hostvars=True)


def failure(message, undefined):
    return {"error": message[:300], "undefined": undefined}


def answer(run):
    try:
        return {"repr": repr(run())}
    except (AnsibleUndefinedVariable, UndefinedError) as error:
        return failure(str(error), True)
    except AnsibleError as error:
        cause = getattr(error, "orig_exc", None)
        return failure(str(error), isinstance(cause, (AnsibleUndefinedVariable, UndefinedError)))
    except Exception as error:  # a Python error escaping Ansible: still an error the engine must report
        return failure("%s: %s" % (type(error).__name__, error), False)


def template_value(text):
    return Templar(loader=loader, variables=variables).template(text)


def render_file(text):
    templar = Templar(loader=loader, variables=variables).copy_with_new_env(
        environment_class=AnsibleEnvironment, trim_blocks=True, lstrip_blocks=False
    )
    return templar.do_template(text, preserve_trailing_newlines=True, escape_backslashes=False)


print(
    json.dumps(
        {
            "templates": [answer(lambda: template_value(text)) for text in request.get("templates", [])],
            "render": [answer(lambda: render_file(text)) for text in request.get("render", [])],
        }
    )
)
