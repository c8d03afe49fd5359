/**
 * Money is integer minor units (fen) everywhere: bigint in code, bigint in the database, a decimal
 * string ("1234.50") at the API. Never a JS floating-point number.
 */
export function toMinor(value: bigint | number | string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`amount ${value} is not an integer number of minor units`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`amount "${value}" is not an integer number of minor units`);
  return BigInt(value);
}

/** 123450n → "1234.50"; -5n → "-0.05". */
export function formatMinor(value: bigint | number | string, scale = 2): string {
  const v = toMinor(value);
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${frac}` : ''}`;
}

/** "1234.5" or "1234.50" → 123450n; rejects more than `scale` decimals rather than rounding. */
export function parseDecimal(text: string, scale = 2): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[3] && m[3].length > scale)) throw new RangeError(`"${text}" is not an amount with at most ${scale} decimals`);
  const frac = (m[3] ?? '').padEnd(scale, '0');
  const v = BigInt(m[2] + frac);
  return m[1] ? -v : v;
}

/**
 * "14614.00" → "14,614.00", for people reading amounts in tables (a finance team reads 14,614.00
 * faster than 14614.00). Takes the API's decimal strings as they are: the digits are regrouped, never
 * passed through a float. Anything that is not a decimal amount is returned unchanged.
 */
export function groupThousands(amount: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  if (!m) return amount;
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
