"""Type each line into an interactive bash at a pseudo-terminal, press Tab, and print what the line became (JSON).

Usage: bash_tab.py SETUP LINE...   SETUP is run first (it loads the completion script); PATH comes from the caller.
"""

import json
import os
import pty
import select
import sys
import time


def read_until_quiet(fd, quiet=1.0, limit=20.0):
    output = b''
    last = start = time.time()
    while time.time() - last < quiet and time.time() - start < limit:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            output += chunk
            last = time.time()
    return output.decode(errors='replace')


setup, *lines = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(PS1='$ ', INPUTRC='/dev/null', TERM='dumb')
    os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])
read_until_quiet(fd)
os.write(fd, setup.encode() + b'\n')
read_until_quiet(fd)
results = []
for line in lines:
    os.write(fd, line.encode() + b'\t')
    typed = read_until_quiet(fd).replace('\x07', '')
    os.write(fd, b'\x05\x15')  # Ctrl-E Ctrl-U: empty the line for the next one
    read_until_quiet(fd, quiet=0.3)
    results.append(typed.split('\r')[-1].replace('\x08', ''))
os.write(fd, b'exit\n')
print(json.dumps(results))
