import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, demoSeed } from '../../../src/adapters/index.js';
import { formatDateTime, formatRelativeTime } from '../../../src/core/format.js';
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

  it('the overview’s dates get their full date as a tooltip (made after the first paint, when the browser is idle)', async () => {
    const view = await portalOverview(new MemoryAdapter({ seed: demoSeed() }));
    const times = () => [...view.shadowRoot!.querySelectorAll('time')];
    expect(times().length).to.be.greaterThan(0);
    await waitUntil(() => times().every((t) => t.title !== ''), 'the tooltips never came');
    for (const time of times()) expect(time.title).to.equal(formatDateTime(time.dateTime));
  });
});
