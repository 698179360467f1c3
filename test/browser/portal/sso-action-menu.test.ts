import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { SsoActionMenu } from '../../../src/portal/ui/sso-action-menu.js';
import '../../../src/portal/ui/sso-action-menu.js';
import { deepActiveElement, tabTo } from '../helpers.js';

const ITEMS = [
  { id: 'activate', label: 'Activate' },
  { id: 'export', label: 'Export' },
  { id: 'delete', label: 'Delete', tone: 'danger' as const },
];

async function menu() {
  const wrapper = await fixture<HTMLDivElement>(html`<div><button id="before">Before</button> <sso-action-menu context="Okta (employees)" .items=${ITEMS}></sso-action-menu> <button id="after">After</button></div>`);
  const el = wrapper.querySelector('sso-action-menu') as SsoActionMenu;
  await el.updateComplete;
  const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
  const list = el.shadowRoot!.querySelector<HTMLElement>('[role="menu"]')!;
  const items = () => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  const focused = () => (deepActiveElement() as HTMLElement | null)?.dataset?.item;
  return { wrapper, el, button, list, items, focused };
}

describe('<sso-action-menu>', () => {
  it('is a menu button named after its connection, closed at first, accessible open and closed', async () => {
    const { el, button, list } = await menu();
    expect(button.getAttribute('aria-haspopup')).to.equal('menu');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.textContent.replace(/\s+/g, ' ').trim()).to.match(/^More actions for Okta \(employees\) ?▾$/);
    expect(list.hidden).to.equal(true);
    await expect(el).to.be.accessible();
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(list.hidden).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('opens with Enter on the first item, moves with the arrows, Home and End, and closes with Escape back on the button', async () => {
    const { el, button, list, focused } = await menu();
    await tabTo(button);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused() === 'activate', 'focus is not on the first item');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused()).to.equal('export');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(), 'wraps to the first').to.equal('activate');
    await sendKeys({ press: 'ArrowUp' });
    expect(focused(), 'wraps to the last').to.equal('delete');
    await sendKeys({ press: 'Home' });
    expect(focused()).to.equal('activate');
    await sendKeys({ press: 'End' });
    expect(focused()).to.equal('delete');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(list.hidden).to.equal(true);
    expect(deepActiveElement()).to.equal(button);
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => focused() === 'delete', 'Arrow Up does not open on the last item');
  });

  it('chooses an item with Enter: fires sso-menu-select, closes, and returns focus to the button', async () => {
    const { el, button, list, focused } = await menu();
    await tabTo(button);
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focused() === 'activate');
    await sendKeys({ press: 'ArrowDown' });
    const chosen = new Promise<string>((resolve) => el.addEventListener('sso-menu-select', (e) => resolve(e.item), { once: true }));
    await sendKeys({ press: 'Enter' });
    expect(await chosen).to.equal('export');
    await el.updateComplete;
    expect(list.hidden).to.equal(true);
    expect(deepActiveElement()).to.equal(button);
  });

  it('closes with Tab (focus moves on) and with a click outside', async () => {
    const { wrapper, el, button, list, focused } = await menu();
    await tabTo(button);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused() === 'activate');
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    expect(list.hidden).to.equal(true);
    expect(deepActiveElement()).to.equal(wrapper.querySelector('#after'));
    button.click();
    await el.updateComplete;
    expect(list.hidden).to.equal(false);
    const before = wrapper.querySelector('#before')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(before.x + 5), Math.round(before.y + 5)] });
    await waitUntil(() => list.hidden, 'a click outside did not close the menu');
  });
});
