import {createHash} from 'node:crypto'

import {TemplateFault} from './fault.js'

const N = 624
const M = 397

/**
 * Python's random.Random(seed) for an int or str seed: the Mersenne Twister seeded as CPython seeds it, so that
 * `random(seed=inventory_hostname)` and `shuffle(seed=…)` give the numbers Ansible gives.
 */
export class PythonRandom {
  private readonly state = new Uint32Array(N)
  private index = N + 1

  constructor(seed: number | string) {
    this.seedArray(seedWords(seed))
  }

  private initGenrand(seed: number): void {
    const mt = this.state
    mt[0] = seed >>> 0
    for (let i = 1; i < N; i++) {
      const previous = (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30)
      mt[i] = (Math.imul(1812433253, previous) + i) >>> 0
    }
    this.index = N
  }

  /** CPython's init_by_array. */
  private seedArray(key: number[]): void {
    const mt = this.state
    this.initGenrand(19650218)
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const previous = (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30)
      mt[i] = (((mt[i] ?? 0) ^ Math.imul(previous, 1664525)) + (key[j] ?? 0) + j) >>> 0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      const previous = (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30)
      mt[i] = (((mt[i] ?? 0) ^ Math.imul(previous, 1566083941)) - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0
        i = 1
      }
    }
    mt[0] = 0x80000000
  }

  private next32(): number {
    const mt = this.state
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = ((mt[k] ?? 0) & 0x80000000) | ((mt[(k + 1) % N] ?? 0) & 0x7fffffff)
        mt[k] = (mt[(k + M) % N] ?? 0) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
      }
      this.index = 0
    }
    let y = mt[this.index++] ?? 0
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** random.getrandbits(k): the low word first, as CPython assembles it. */
  private randomBits(bits: number): bigint {
    let result = 0n
    for (let shift = 0, left = bits; left > 0; shift += 32, left -= 32) {
      const word = this.next32()
      result |= BigInt(left < 32 ? word >>> (32 - left) : word) << BigInt(shift)
    }
    return result
  }

  /** random._randbelow: a uniform integer in [0, n). */
  below(n: number): number {
    if (n <= 0) return 0
    const bits = n.toString(2).length
    let value = this.randomBits(bits)
    while (value >= BigInt(n)) value = this.randomBits(bits)
    return Number(value)
  }

  /** random.randrange(start, stop, step). */
  randrange(start: number, stop: number, step: number): number {
    const width = stop - start
    if (step === 1) {
      if (width <= 0) throw new TemplateFault(`empty range for randrange() (${start}, ${stop}, ${width})`)
      return start + this.below(width)
    }
    if (step === 0) throw new TemplateFault('zero step for randrange()')
    const count = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step)
    if (count <= 0) throw new TemplateFault('empty range for randrange()')
    return start + step * this.below(count)
  }

  /** random.shuffle on a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1)
      ;[out[i], out[j]] = [out[j] as T, out[i] as T]
    }
    return out
  }
}

/** The seed as CPython's random_seed sees it: |int|, or a str as int.from_bytes(text + sha512(text)), as 32-bit words. */
function seedWords(seed: number | string): number[] {
  let value: bigint
  if (typeof seed === 'string') {
    const bytes = Buffer.from(seed, 'utf8')
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()])
    value = BigInt(`0x${all.toString('hex') || '0'}`)
  } else value = BigInt(Math.abs(Math.trunc(seed)))
  const words: number[] = []
  do {
    words.push(Number(value & 0xffffffffn))
    value >>= 32n
  } while (value > 0n)
  return words
}
