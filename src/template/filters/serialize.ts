import {parseYaml} from '../../inventory/yaml.js'
import {ValueReader} from '../../inventory/yaml-values.js'
import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {jsonDumps, jsonLoads, type JsonOptions} from '../json.js'
import {checkDefined, numberOf, truthy, typeName} from '../values.js'
import {yamlDump} from '../yaml-dump.js'

function jsonOptions(kwargs: Record<string, unknown>, defaults: JsonOptions): JsonOptions {
  const {indent, sort_keys: sortKeys, ensure_ascii: ensureAscii, separators, ...rest} = kwargs
  const unknown = Object.keys(rest).filter((key) => !['vault_to_text', 'preprocess_unsafe'].includes(key))
  if (unknown.length) throw new TemplateFault(`to_json: unsupported keyword argument '${unknown[0]}'`)
  return {
    ...defaults,
    ...(indent !== undefined && indent !== null && {indent: typeof indent === 'string' ? indent : numberOf(indent)}),
    ...(sortKeys !== undefined && {sortKeys: truthy(sortKeys)}),
    ...(ensureAscii !== undefined && {ensureAscii: truthy(ensureAscii)}),
    ...(Array.isArray(separators) && {separators: [String(separators[0]), String(separators[1])]}),
  }
}

function yamlOptions(
  kwargs: Record<string, unknown>,
  defaults: {indent: number; blockOnly: boolean},
): Parameters<typeof yamlDump>[1] {
  const {indent, width, sort_keys: sortKeys, default_flow_style: flowStyle, ...rest} = kwargs
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) throw new TemplateFault(`to_yaml: unsupported keyword argument '${unknown}'`)
  const spaces = indent === undefined ? defaults.indent : numberOf(indent)
  const columns = width === undefined ? 80 : numberOf(width)
  if (flowStyle === true) throw new TemplateFault('to_yaml: default_flow_style=True is not supported')
  return {
    blockOnly: flowStyle === undefined ? defaults.blockOnly : flowStyle === false,
    indent: spaces > 1 && spaces < 10 ? spaces : 2,
    sortKeys: sortKeys === undefined || truthy(sortKeys),
    width: columns > spaces * 2 ? columns : 80,
  }
}

/** YAML text read as Ansible's loader reads it (YAML 1.1, PyYAML's scalars). */
function readYaml(data: string): unknown {
  const {yaml, problems} = parseYaml(data, 'from_yaml')
  if (problems[0]) throw new TemplateFault(problems[0].message)
  return new ValueReader(yaml, new Map(), () => undefined).read(yaml.doc.contents).value
}

export const SERIALIZE_FILTERS: Record<string, Filter> = {
  from_json: (value) => {
    checkDefined(value)
    if (typeof value !== 'string') {
      throw new TemplateFault(`the JSON object must be str, bytes or bytearray, not ${typeName(value)}`)
    }
    return jsonLoads(value)
  },
  from_yaml: (value) => (typeof value === 'string' ? readYaml(value) : value),
  to_json: (value, _args, kwargs) => jsonDumps(value, jsonOptions(kwargs, {})),
  to_nice_json: (value, args, kwargs) =>
    jsonDumps(value, jsonOptions({indent: args[0] ?? 4, ...kwargs}, {separators: [',', ': '], sortKeys: true})),
  to_nice_yaml: (value, args, kwargs) =>
    yamlDump(value, yamlOptions({indent: args[0] ?? 4, ...kwargs}, {blockOnly: true, indent: 4})),
  to_yaml: (value, _args, kwargs) => yamlDump(value, yamlOptions(kwargs, {blockOnly: false, indent: 2})),
}
