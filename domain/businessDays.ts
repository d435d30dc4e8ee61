const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `days` business days after `from`, at the same time of day, skipping Saturdays and Sundays (UTC).
 * From a weekend the count starts on Monday: Saturday plus one business day is Monday. Public
 * holidays are not known here, so they count as business days.
 */
export function addBusinessDays(from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number, 0 or more');
  let at = from.getTime();
  for (let left = days; left > 0;) {
    at += DAY_MS;
    if (!isWeekend(at)) left--;
  }
  return new Date(at);
}

function isWeekend(epochMs: number): boolean {
  const day = new Date(epochMs).getUTCDay();
  return day === 0 || day === 6;
}
