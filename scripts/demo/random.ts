// A small seeded PRNG (mulberry32): the same seed tells the same story on every machine,
// where Math.random() would make every fresh demo account different.
export class Random {
  constructor(private state: number) {}

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int = (min: number, max: number) => min + Math.floor(this.next() * (max - min + 1));
  chance = (probability: number) => this.next() < probability;
  pick = <T>(items: readonly T[]): T => (items.length ? items[Math.floor(this.next() * items.length)]! : fail('pick from an empty list'));
  /** Lowercase hex, e.g. for password hashes that look like hashes. */
  hex = (length: number) => Array.from({ length }, () => this.int(0, 15).toString(16)).join('');

  /** One item, each with its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let left = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    return (entries.find(([, weight]) => (left -= weight) < 0) ?? entries.at(-1)!)[0];
  }

  /** `count` distinct items (fewer if the list is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, count);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
