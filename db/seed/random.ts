/**
 * A seeded generator (mulberry32) so that a seed always writes the same books: the generator never
 * calls Math.random. Amounts come out as whole fen (integers), never as fractions of a yuan.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A child generator whose sequence depends only on this seed and the given parts. */
  static derive(seed: number, ...parts: number[]): SeededRandom {
    let h = (seed ^ 0x9e3779b9) >>> 0;
    for (const part of parts) {
      h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      h = Math.imul(h, 0xc2b2ae35) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
    }
    return new SeededRandom(h);
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    const span = max - min + 1;
    if (span <= 0 || !Number.isSafeInteger(span)) throw new RangeError(`bad range ${min}..${max}`);
    // Wide ranges (amounts of a large federation in fen) draw 53 bits, still exact integers.
    const draw = span <= 0x1_0000_0000 ? this.nextUint32() : (this.nextUint32() & 0x1f_ffff) * 0x1_0000_0000 + this.nextUint32();
    return min + (draw % span);
  }

  /** True with probability `percent` / 100. */
  chance(percent: number): boolean {
    return this.nextUint32() % 100 < percent;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.nextUint32() % items.length]!;
  }

  /** Picks by integer weights: `[[item, weight], ...]`. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    const total = table.reduce((sum, [, weight]) => sum + weight, 0);
    let ticket = this.int(1, total);
    for (const [item, weight] of table) {
      ticket -= weight;
      if (ticket <= 0) return item;
    }
    return table[table.length - 1]![0];
  }

  /**
   * An amount in fen between `minYuan` and `maxYuan`, spread over orders of magnitude the way real
   * amounts are (many small, few large); most are whole yuan, some carry jiao and fen.
   */
  fen(minYuan: number, maxYuan: number): number {
    let high = maxYuan;
    // Narrow to one decade at random so small amounts are as likely as large ones.
    while (high > minYuan * 10 && this.chance(50)) high = Math.max(minYuan, Math.trunc(high / 10));
    const yuan = this.int(minYuan, high);
    const cents = this.chance(70) ? 0 : this.int(0, 99);
    return Math.max(1, yuan * 100 + cents);
  }
}

/** Integer division rounding half up, for non-negative integers, without floating point. */
export function divideRounded(numerator: number, denominator: number): number {
  const adjusted = numerator + Math.trunc(denominator / 2);
  return (adjusted - (adjusted % denominator)) / denominator;
}
