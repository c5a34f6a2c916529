/** Python's one-character string escapes: what follows the backslash, and what it stands for. */
export const PYTHON_ESCAPES: Record<string, string> = {
  '\n': '',
  '"': '"',
  "'": "'",
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}
