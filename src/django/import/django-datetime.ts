/** Django's SQLite datetime text: `2026-12-06 01:45:43.450237`, maybe with `T`, a `Z` or an offset. */
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * A datetime as Django's SQLite backend stores it (USE_TZ: naive UTC text),
 * as epoch milliseconds (microseconds truncated, as Gatehouse keeps time);
 * null for SQL NULL, NaN for anything unreadable. Text with an offset is read
 * with it.
 *
 * ```ts
 * parseDjangoDateTime('2026-12-06 01:45:43.450237'); // Date.UTC(2026, 11, 6, 1, 45, 43, 450)
 * parseDjangoDateTime(null); // null
 * parseDjangoDateTime('yesterday'); // NaN
 * ```
 */
export function parseDjangoDateTime(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.floor(value) : Number.NaN;
  if (typeof value !== 'string' || value.length > 40) return Number.NaN;
  const m = DATETIME.exec(value);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, fraction = '', zulu, sign, oh, om] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  // Date.UTC rolls 2026-02-31 over into March; Django never wrote such a value.
  const back = new Date(time);
  if (back.getUTCDate() !== Number(d) || back.getUTCMonth() !== Number(mo) - 1) return Number.NaN;
  if (zulu === undefined && sign !== undefined) {
    const offset = (Number(oh) * 60 + Number(om)) * 60_000;
    time += sign === '+' ? -offset : offset;
  }
  return time;
}
