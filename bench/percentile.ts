/**
 * The nearest-rank percentile of an ascending list (p in 0–100).
 *
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 3
 * ```
 */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}
