import type {Filter} from '../environment.js'
import {CORE_FILTERS} from './core.js'
import {DICT_FILTERS} from './dicts.js'
import {ENCODING_FILTERS} from './encoding.js'
import {LIST_FILTERS} from './lists.js'
import {MATH_FILTERS} from './math.js'
import {PATH_FILTERS} from './paths.js'
import {RANDOM_FILTERS} from './random.js'
import {REGEX_FILTERS} from './regex.js'
import {SERIALIZE_FILTERS} from './serialize.js'
import {STRING_FILTERS} from './strings.js'

/** The filters that are Ansible's plugins rather than Jinja2's, so also named `ansible.builtin.NAME`. */
const ANSIBLE_FILTERS = new Set([
  'b64decode',
  'b64encode',
  'basename',
  'bool',
  'checksum',
  'combine',
  'dict2items',
  'difference',
  'dirname',
  'expanduser',
  'extract',
  'flatten',
  'from_json',
  'from_yaml',
  'hash',
  'intersect',
  'items2dict',
  'log',
  'mandatory',
  'md5',
  'path_join',
  'pow',
  'product',
  'quote',
  'random',
  'regex_escape',
  'regex_findall',
  'regex_replace',
  'regex_search',
  'root',
  'sha1',
  'shuffle',
  'split',
  'splitext',
  'subelements',
  'symmetric_difference',
  'ternary',
  'to_json',
  'to_nice_json',
  'to_nice_yaml',
  'to_uuid',
  'to_yaml',
  'type_debug',
  'union',
  'unique',
  'urldecode',
  'urlsplit',
  'zip',
  'zip_longest',
])

/** Names for each filter: Ansible's also with their collection prefixes. */
export function withCollectionNames<T>(plugins: Record<string, T>, ansible: (name: string) => boolean): Map<string, T> {
  return new Map(
    Object.entries(plugins).flatMap(([name, plugin]) =>
      ansible(name)
        ? [
            [name, plugin],
            [`ansible.builtin.${name}`, plugin],
            [`ansible.legacy.${name}`, plugin],
          ]
        : [[name, plugin]],
    ),
  )
}

/** Jinja2's filters and Ansible's (ansible.builtin) filters that goldentooth provides. */
export const FILTERS: ReadonlyMap<string, Filter> = withCollectionNames(
  {
    ...CORE_FILTERS,
    ...DICT_FILTERS,
    ...ENCODING_FILTERS,
    ...LIST_FILTERS,
    ...MATH_FILTERS,
    ...PATH_FILTERS,
    ...RANDOM_FILTERS,
    ...REGEX_FILTERS,
    ...SERIALIZE_FILTERS,
    ...STRING_FILTERS,
  },
  (name) => ANSIBLE_FILTERS.has(name),
)
