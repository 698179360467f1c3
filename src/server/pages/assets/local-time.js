// Times in the reader's own time zone and language. Every <time datetime="..."> the server
// wrote (in UTC, labelled so: `localTime()` in html.ts) is shown with the browser's locale, its
// UTC text kept as the title; the dashboard imports `localTime` and `timeElement` for the times
// it renders itself. Without this script the server's UTC text stays.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time, in the browser's locale and time zone (e.g. "4 Dec 2026, 23:05"). */
export function localTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : format.format(date);
}

/** A <time> element showing an ISO time locally (its `datetime` keeps the exact value). */
export function timeElement(iso) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.textContent = localTime(iso);
  return time;
}

for (const time of document.querySelectorAll('time[datetime]')) {
  if (Number.isNaN(new Date(time.dateTime).getTime())) continue;
  if (time.textContent) time.title = time.textContent;
  time.textContent = localTime(time.dateTime);
}
