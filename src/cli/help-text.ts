import {EXIT_CODES_HELP} from './exit-codes.js'

export const PATTERN_HELP = `PATTERN is an Ansible host pattern: all, a group, a host, lists with , or :, exclusion !g, intersection &g,
wildcards (bet*), regex (~^n[0-9]), subscripts (group[0], group[-1], group[1:3]).`

/** The closing part of --help for commands that run on hosts. */
export const RUN_HELP = `${PATTERN_HELP}

OUTPUT
  Hosts whose stdout, stderr and exit code are identical are folded into one block (bettley,cargyll (2) | rc=0),
  then a summary line on stderr: N ok, N failed, N unreachable (T s). --verbose streams lines live, prefixed by host.
  --json prints one document: {"results":[{"host","ok","exitCode","stdout","stderr","durationMs","error"}],
  "summary":{"ok","failed","unreachable","durationMs"}}.

${EXIT_CODES_HELP}`
