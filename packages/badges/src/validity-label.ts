const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Day {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function day(isoDate: string): Day {
  const [year = 0, month = 0, dayOfMonth = 0] = isoDate.split('-').map(Number);
  return { year, month, day: dayOfMonth };
}

/**
 * The badge's valid days for people at the gate: "5–10 Nov 2024" rather than two ISO dates, the
 * month spelled out because 05/11 reads as May or November depending on the reader.
 */
export function validityLabelEn(from: string, to: string): string {
  const a = day(from);
  const b = day(to);
  const month = (d: Day) => MONTHS[d.month - 1] ?? '';
  if (from === to) return `${a.day} ${month(a)} ${a.year}`;
  if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${month(b)} ${b.year}`;
  if (a.year === b.year) return `${a.day} ${month(a)} – ${b.day} ${month(b)} ${b.year}`;
  return `${a.day} ${month(a)} ${a.year} – ${b.day} ${month(b)} ${b.year}`;
}

/** The same in Chinese convention: 2024年11月5日至10日. */
export function validityLabelZh(from: string, to: string): string {
  const a = day(from);
  const b = day(to);
  const start = `${a.year}年${a.month}月${a.day}日`;
  if (from === to) return start;
  if (a.year === b.year && a.month === b.month) return `${start}至${b.day}日`;
  if (a.year === b.year) return `${start}至${b.month}月${b.day}日`;
  return `${start}至${b.year}年${b.month}月${b.day}日`;
}
