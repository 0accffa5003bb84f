/**
 * The calendar day of an instant in a time zone, `YYYY-MM-DD`. Badge days are the expo's local
 * days: a scan at 00:30 in Shanghai is on the new day although UTC is still on the previous one.
 * The formatter is built once (constructing one is far slower than using it) and an unknown time
 * zone throws here, at start-up, not on the first scan.
 */
export function localDateFormatter(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    calendar: 'gregory',
    numberingSystem: 'latn',
  });
  // Offsets change on whole minutes, and a busy gate asks about the same minute again and again:
  // remembering the last answer saves formatting on almost every scan.
  let lastMinute = Number.NaN;
  let lastDay = '';
  return (at) => {
    const minute = Math.floor(at.getTime() / 60_000);
    if (minute !== lastMinute) {
      lastDay = formatDay(format, at);
      lastMinute = minute;
    }
    return lastDay;
  };
}

function formatDay(format: Intl.DateTimeFormat, at: Date): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of format.formatToParts(at)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}
