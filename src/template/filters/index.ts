import type {Filter} from '../environment.js'
import {CORE_FILTERS} from './core.js'
import {DICT_FILTERS} from './dicts.js'
import {ENCODING_FILTERS} from './encoding.js'
import {LIST_FILTERS} from './lists.js'
import {MATH_FILTERS} from './math.js'
import {PATH_FILTERS} from './paths.js'
import {REGEX_FILTERS} from './regex.js'
import {SERIALIZE_FILTERS} from './serialize.js'
import {STRING_FILTERS} from './strings.js'

/** Jinja2's filters and Ansible's (ansible.builtin) filters that goldentooth provides. */
export const FILTERS: ReadonlyMap<string, Filter> = new Map(
  Object.entries({
    ...CORE_FILTERS,
    ...DICT_FILTERS,
    ...ENCODING_FILTERS,
    ...LIST_FILTERS,
    ...MATH_FILTERS,
    ...PATH_FILTERS,
    ...REGEX_FILTERS,
    ...SERIALIZE_FILTERS,
    ...STRING_FILTERS,
  }),
)
