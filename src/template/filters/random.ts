import {randomInt} from 'node:crypto'

import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {PythonRandom} from '../python-random.js'
import {checkDefined, isInt, isMapping, iterate, numberOf, truthy, typeName} from '../values.js'
import {define} from './define.js'

/** Python's Random(seed) for a seed given, else the system's random numbers (Ansible's SystemRandom). */
function generator(seed: unknown): {below(n: number): number} {
  if (seed === undefined || seed === null) return {below: (n) => (n <= 0 ? 0 : randomInt(n))}
  checkDefined(seed)
  if (typeof seed === 'string' || isInt(seed) || typeof seed === 'boolean') {
    return new PythonRandom(typeof seed === 'string' ? seed : numberOf(seed))
  }
  throw new TemplateFault(`random seed must be a string or an integer, not ${typeName(seed)}`)
}

/** Ansible's `random`: an integer below `end` (from start, by step), or one item of a sequence. */
function random(end: unknown, start: unknown, step: unknown, seed: unknown): unknown {
  checkDefined(end)
  const source = generator(seed)
  if (isInt(end) || typeof end === 'boolean') {
    const from = start === undefined || start === null || !truthy(start) ? 0 : numberOf(start)
    const by = step === undefined || step === null || !truthy(step) ? 1 : numberOf(step)
    if (source instanceof PythonRandom) return source.randrange(from, numberOf(end), by)
    const count = by > 0 ? Math.ceil((numberOf(end) - from) / by) : Math.ceil((from - numberOf(end)) / -by)
    if (count <= 0) throw new TemplateFault('empty range for randrange()')
    return from + by * source.below(count)
  }
  if (typeof end === 'string' || Array.isArray(end) || isMapping(end)) {
    if ((start !== undefined && truthy(start)) || (step !== undefined && truthy(step))) {
      throw new TemplateFault('start and step can only be used with integer values')
    }
    const items = iterate(end)
    if (items.length === 0) throw new TemplateFault('Cannot choose from an empty sequence')
    return items[source.below(items.length)]
  }
  throw new TemplateFault('random can only be used on sequences and integers')
}

function shuffle(value: unknown, seed: unknown): unknown {
  const items = [...iterate(value)]
  if (seed !== undefined && truthy(seed)) return (generator(seed) as PythonRandom).shuffled(items)
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}

export const RANDOM_FILTERS: Record<string, Filter> = {
  random: define(['start', 'step', 'seed'], 0, random),
  shuffle: define(['seed'], 0, shuffle),
}
