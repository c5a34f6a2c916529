"""Type each line into an interactive shell at a pseudo-terminal, press Tab, and print what the lines became (JSON).

Usage: shell_tab.py bash|zsh SETUP LINE...   SETUP is run first (it loads the completion script); PATH comes from the
caller. What the shell echoes is replayed as a terminal would (carriage return, backspace, erase to end of line).
"""

import json
import os
import pty
import re
import select
import sys
import time

SHELLS = {'bash': ['bash', '--norc', '--noprofile', '-i'], 'zsh': ['zsh', '-f', '-i']}
CONTROL = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|[\r\x08\x07]|[^\x1b\r\x08\x07]')
MARK = '@@'


def read_until(fd, done, quiet=1.0, limit=60.0):
    output = b''
    last = start = time.time()
    while not done(output) and time.time() - last < quiet and time.time() - start < limit:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            output += chunk
            last = time.time()
    return output.decode(errors='replace')


def screen_line(echo):
    line, column = [], 0
    for token in CONTROL.findall(echo.split('\n')[-1]):
        if token == '\r':
            column = 0
        elif token == '\x08':
            column = max(column - 1, 0)
        elif token.endswith('K') and token.startswith('\x1b['):
            del line[column:]
        elif token.startswith('\x1b') or token == '\x07':
            continue
        else:
            line[column:column + 1] = [token]
            column += 1
    return ''.join(line).removeprefix('$ ').removesuffix(MARK)


name, setup, *lines = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(PS1='$ ', INPUTRC='/dev/null', TERM='dumb')
    os.execvp(SHELLS[name][0], SHELLS[name])
never = lambda output: False
read_until(fd, never)
os.write(fd, setup.encode() + b'\n')
read_until(fd, never, quiet=2.0)
results = []
for line in lines:
    # The shell reads what follows the Tab only once the completion is done: the mark's echo says it is.
    os.write(fd, f'{line}\t{MARK}'.encode())
    echo = read_until(fd, lambda output: MARK.encode() in output, quiet=60.0)
    os.write(fd, b'\x05\x15')  # Ctrl-E Ctrl-U: empty the line for the next one
    read_until(fd, never, quiet=0.3)
    results.append(screen_line(echo))
os.write(fd, b'exit\n')
print(json.dumps(results))
