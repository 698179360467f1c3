import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { englishRelativeTime, formatDateTime, formatRelativeTime } from '../../../src/core/format.js';
import { portalOverview } from '../helpers.js';
import '../../../src/element.js';

/** Counts the Intl formatters constructed while `run` runs. */
function countFormatters(run: () => void): { dateTime: number; relative: number } {
  const counts = { dateTime: 0, relative: 0 };
  const { DateTimeFormat, RelativeTimeFormat } = Intl;
  Object.assign(Intl, {
    DateTimeFormat: new Proxy(DateTimeFormat, { construct: (target, args: ConstructorParameters<typeof DateTimeFormat>) => (counts.dateTime++, new target(...args)) }),
    RelativeTimeFormat: new Proxy(RelativeTimeFormat, { construct: (target, args: ConstructorParameters<typeof RelativeTimeFormat>) => (counts.relative++, new target(...args)) }),
  });
  try {
    run();
  } finally {
    Object.assign(Intl, { DateTimeFormat, RelativeTimeFormat });
  }
  return counts;
}

describe('format: relative times in English without locale data', () => {
  it('says what Intl.RelativeTimeFormat says in English, for every unit, sign and size used', () => {
    const intl = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    for (const unit of ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const) {
      for (const value of [-0, 0, 1, -1, 2, -2, 7, -30, 59, -100, 999, -999]) {
        expect(englishRelativeTime.format(value, unit), `${value} ${unit}`).to.equal(intl.format(value, unit));
      }
    }
  });

  it('makes no Intl formatter for English relative times; another language gets its own', () => {
    const now = new Date('2026-12-05T12:00:00.000Z');
    const at = ['2026-12-05T11:59:30.000Z', '2026-12-05T09:00:00.000Z', '2026-12-04T12:00:00.000Z', '2025-12-05T12:00:00.000Z', '2029-12-05T12:00:00.000Z'];
    const counts = countFormatters(() => {
      for (const when of at) {
        const expected = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' }).format(...unitOf(when, now));
        expect(formatRelativeTime(when, now, 'en-US')).to.equal(expected === 'now' ? 'just now' : expected);
      }
    });
    expect(counts.relative).to.equal(at.length, 'only the expected values’ own formatters');
    expect(countFormatters(() => formatRelativeTime(at[1]!, now, 'en-GB')).relative).to.equal(0);
    expect(countFormatters(() => formatRelativeTime(at[1]!, now, 'de-DE')).relative).to.equal(1);
    expect(formatRelativeTime(at[1]!, now, 'de-DE')).to.equal('vor 3 Stunden');
  });
});

/** The value and unit formatRelativeTime picks (for the expected text). */
function unitOf(when: string, now: Date): [number, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'] {
  const seconds = (Date.parse(when) - now.getTime()) / 1000;
  for (const [unit, size] of [['year', 31_536_000], ['month', 2_592_000], ['day', 86_400], ['hour', 3600], ['minute', 60]] as const) {
    if (Math.abs(seconds) >= size) return [Math.round(seconds / size), unit];
  }
  return [0, 'second'];
}

describe('format: formatters made once per locale', () => {
  it('reuses the formatter of a locale across calls and makes one for another locale', () => {
    const when = '2026-11-29T15:47:00.000Z';
    const counts = countFormatters(() => {
      for (let i = 0; i < 5; i++) {
        formatDateTime(when, 'fr-CA');
        formatRelativeTime(when, new Date('2026-11-30T15:47:00.000Z'), 'fr-CA');
      }
      formatDateTime(when, 'de-AT');
    });
    expect(counts).to.deep.equal({ dateTime: 2, relative: 1 });
    expect(formatDateTime(when, 'en-GB')).to.equal(new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(when)));
  });

  it('the overview’s dates get their full date as a tooltip when the pointer rests on them (no date formatter before)', async () => {
    let view!: Awaited<ReturnType<typeof portalOverview>>;
    const made = { dateTime: 0 };
    const { DateTimeFormat } = Intl;
    Intl.DateTimeFormat = new Proxy(DateTimeFormat, { construct: (target, args: ConstructorParameters<typeof DateTimeFormat>) => (made.dateTime++, new target(...args)) });
    try {
      view = await portalOverview(new MemoryAdapter({ seed: demoSeed() }));
      const times = [...view.shadowRoot!.querySelectorAll('time')];
      expect(times.length).to.be.greaterThan(1);
      expect(times.map((t) => t.title)).to.deep.equal(times.map(() => ''));
      expect(made.dateTime, 'a date formatter was made for the first paint').to.equal(0);
      // The domains panel (loaded after the first paint) does the same.
      await waitUntil(() => view.shadowRoot!.querySelector('sso-domains-panel')?.shadowRoot?.querySelector('time'), 'the domains panel shows no date');
      const domainTimes = [...view.shadowRoot!.querySelector('sso-domains-panel')!.shadowRoot!.querySelectorAll('time')];
      expect(domainTimes.map((t) => t.title)).to.deep.equal(domainTimes.map(() => ''));
      expect(made.dateTime, 'a date formatter was made before any pointer came').to.equal(0);
      // Looked up each time: a re-render may replace an element.
      const overviewTime = (i: number) => view.shadowRoot!.querySelectorAll('time')[i]!;
      const domainTime = () => view.shadowRoot!.querySelector('sso-domains-panel')!.shadowRoot!.querySelector('time')!;
      for (const find of [...times.map((_, i) => () => overviewTime(i)), domainTime]) {
        // What the browser sends when a pointer enters it (bubbling out of the shadow roots).
        find().dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
        await waitUntil(() => find().title !== '', `no tooltip on ${find().dateTime}`);
        expect(find().title).to.equal(formatDateTime(find().dateTime));
      }
    } finally {
      Intl.DateTimeFormat = DateTimeFormat;
    }
  });
});
