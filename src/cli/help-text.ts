import {EXIT_CODES_HELP} from '../core/exit-codes.js'

export const PATTERN_HELP = `PATTERN is an Ansible host pattern: all, a group, a host, lists with , or :, exclusion !g, intersection &g,
wildcards (bet*), regex (~^n[0-9]), subscripts (group[0], group[-1], group[1:3]).`

/** The closing part of --help for commands that run on hosts. */
export const RUN_HELP = `${PATTERN_HELP}

OUTPUT
Hosts whose stdout, stderr and exit code are identical are folded into one block (bettley,cargyll (2) | rc=0),
then a summary line on stderr: N ok, N failed, N unreachable (T s). --verbose streams lines live, prefixed by host.
Each host's stdout and stderr are kept up to --max-output (default 4M each): beyond it, the first and last halves,
with a line saying how much was left out between them. On a terminal, control characters from hosts are shown as
^[ and the like (--raw prints them as they are).
--json prints one document: {"results":[{"host","ok","exitCode","stdout","stderr","durationMs","error",
"streams":{"stdout":{"bytes","omittedBytes","utf8"},"stderr":{…}}}],"summary":{"ok","failed","unreachable",
"durationMs"}}; utf8 is false when the host sent bytes that are not UTF-8 (shown as U+FFFD in the text).

${EXIT_CODES_HELP}`
