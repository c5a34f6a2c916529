/**
 * The shell side of completion: each script hands the words typed so far to `goldentooth __complete -- WORDS...` and
 * offers what it prints, one candidate a line; when it prints nothing the shell completes file names.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const

export type Shell = (typeof SHELLS)[number]

// bash splits the word being completed at the characters of COMP_WORDBREAKS (`:` among them) and replaces only the
// text after the last one: the words are read from the line itself and each candidate is cut to that text.
const BASH = `# goldentooth completion for bash. Load it from ~/.bashrc:
#   eval "$(goldentooth autocomplete bash)"
_goldentooth_complete() {
  local line=\${COMP_LINE:0:COMP_POINT} cur=\${COMP_WORDS[COMP_CWORD]} candidate
  local -a words
  read -ra words <<<"$line"
  [[ $line == *[[:space:]] ]] && words+=('')
  local word=\${words[\${#words[@]}-1]}
  local cut=$((\${#word} - \${#cur}))
  ((cut < 0)) && cut=0
  COMPREPLY=()
  while IFS= read -r candidate; do
    COMPREPLY+=("\${candidate:cut}")
  done < <(goldentooth __complete -- "\${words[@]:1}" 2>/dev/null)
}
complete -o default -F _goldentooth_complete goldentooth
`

const ZSH = `#compdef goldentooth
# goldentooth completion for zsh. Load it from ~/.zshrc, after compinit:
#   eval "$(goldentooth autocomplete zsh)"
_goldentooth() {
  local -a candidates
  candidates=(\${(f)"$(goldentooth __complete -- "\${(@Q)words[2,CURRENT]}" 2>/dev/null)"})
  if ((\${#candidates})); then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _goldentooth goldentooth
`

const FISH = `# goldentooth completion for fish. Install it once:
#   goldentooth autocomplete fish > ~/.config/fish/completions/goldentooth.fish
function __goldentooth_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l candidates (goldentooth __complete -- $words[2..-1] "$current" 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c goldentooth -f -a '(__goldentooth_complete)'
`

export const COMPLETION_SCRIPTS: Record<Shell, string> = {bash: BASH, fish: FISH, zsh: ZSH}
