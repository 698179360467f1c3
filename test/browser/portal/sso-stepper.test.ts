import { expect, fixture, html } from '@open-wc/testing';
import { WIZARD_STEPS, WIZARD_STEP_LABELS } from '../../../src/core/wizard.js';
import type { SsoStepper } from '../../../src/portal/ui/sso-stepper.js';
import '../../../src/portal/ui/sso-stepper.js';

const STEPS = WIZARD_STEPS.map((id) => ({ id, label: WIZARD_STEP_LABELS[id] }));

async function stepper(width: string, current = 'configure', complete = false) {
  const wrapper = await fixture<HTMLDivElement>(html`<div style="width:${width}">
    <sso-stepper .steps=${STEPS} current=${current} ?complete=${complete}></sso-stepper>
  </div>`);
  const el = wrapper.querySelector('sso-stepper') as SsoStepper;
  await el.updateComplete;
  return el;
}

const shown = (el: Element | null) => !!el && getComputedStyle(el).display !== 'none';

describe('<sso-stepper>', () => {
  it('lists every step on one line where there is room, with the current one marked', async () => {
    const el = await stepper('860px');
    await expect(el).to.be.accessible();
    const list = el.shadowRoot!.querySelector('ol')!;
    expect(shown(list)).to.equal(true);
    expect(shown(el.shadowRoot!.querySelector('[part="compact"]'))).to.equal(false);
    const items = [...list.querySelectorAll('li')];
    expect(new Set(items.map((li) => Math.round(li.getBoundingClientRect().top))).size, 'one row').to.equal(1);
    expect(items[2]!.getAttribute('aria-current')).to.equal('step');
    expect(items.slice(0, 2).every((li) => li.textContent.includes('(done)'))).to.equal(true);
  });

  it('says "Step 3 of 6 · Configure" with a progress bar where the steps would wrap (360 px)', async () => {
    const el = await stepper('330px');
    await expect(el).to.be.accessible();
    expect(shown(el.shadowRoot!.querySelector('ol'))).to.equal(false);
    const compact = el.shadowRoot!.querySelector('[part="compact"]')!;
    expect(shown(compact)).to.equal(true);
    expect(compact.textContent.replace(/\s+/g, ' ').trim()).to.equal('Step 3 of 6 · Configure');
    const bar = compact.querySelector('progress')!;
    expect(bar.max).to.equal(6);
    expect(bar.value).to.be.within(2, 3);
    expect(compact.getBoundingClientRect().height, 'one line and a bar').to.be.below(60);
  });

  it('marks the current step done when everything is complete', async () => {
    const el = await stepper('900px', 'activate', true);
    const last = [...el.shadowRoot!.querySelectorAll('li')].at(-1)!;
    expect(last.classList.contains('done')).to.equal(true);
    expect(last.textContent).to.contain('(done)');
    const narrow = await stepper('330px', 'activate', true);
    expect(narrow.shadowRoot!.querySelector('[part="compact"]')!.textContent).to.contain('(done)');
    expect(narrow.shadowRoot!.querySelector('progress')!.value).to.equal(6);
  });
});
