import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { deepActiveElement, tabTo } from '../helpers.js';
import { provideContext } from '../../../src/portal/context.js';
import { copyShortcut, copyText, isApplePlatform, type ClipboardLike } from '../../../src/portal/ui/clipboard.js';
import { SsoCopyEvent, SsoCopyField } from '../../../src/portal/ui/sso-copy-field.js';

const ACS = 'https://sso.acme.example/saml/acs/conn_01HZX4Q7R8M9N0P1Q2R3S4T5V6?tenant=megacorp-international';

/** Resolves with the next internal (non-composed) event `name` on `target`. */
function nextInternalEvent<K extends keyof HTMLElementEventMap>(target: EventTarget, name: K): Promise<HTMLElementEventMap[K]> {
  return new Promise((resolve) => {
    target.addEventListener(name, (event) => resolve(event as HTMLElementEventMap[K]), { once: true });
  });
}

/** A clipboard that records what it was given, or refuses. */
class FakeClipboard implements ClipboardLike {
  readonly written: string[] = [];
  constructor(private readonly refuse = false) {}
  writeText(text: string): Promise<void> {
    if (this.refuse) return Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    this.written.push(text);
    return Promise.resolve();
  }
}

/** Renders `template` inside a parent that provides the announcer context, as the portal does. */
async function withAnnouncer<T extends Element>(template: TemplateResult): Promise<{ el: T; announced: string[] }> {
  const announced: string[] = [];
  const parentNode = document.createElement('div');
  provideContext(parentNode, { announcer: { announce: (message: string) => announced.push(message) } });
  const el = await fixture<T>(template, { parentNode });
  return { el, announced };
}

function part(el: SsoCopyField, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** How many nodes of the shadow root match; a number, so a failure never has to print a DOM node. */
const count = (el: Element, selector: string) => el.shadowRoot!.querySelectorAll(selector).length;

/** Whether `target` has focus (a boolean, for the same reason). */
const hasFocus = (target: Element) => deepActiveElement() === target;

const text = (node: Node) => (node.textContent ?? '').replace(/\s+/g, ' ').trim();
/** A button's accessible name from its `aria-labelledby` ("Copy" and the field's label, in its own language). */
const nameOf = (button: Element) => button.getAttribute('aria-labelledby')!.split(' ').map((id) => text((button.getRootNode() as ShadowRoot).getElementById(id)!)).join(' ');

describe('<sso-copy-field>', () => {
  it('is accessible, with a labelled read-only value and a Copy button named after the label', async () => {
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="Single sign-on URL" .value=${ACS} hint="Okta calls it “Single sign-on URL”."></sso-copy-field>`);
    await expect(el).to.be.accessible();
    const value = part(el, 'value');
    expect(value.getAttribute('role')).to.equal('textbox');
    expect(value.getAttribute('aria-readonly')).to.equal('true');
    expect(value.getAttribute('aria-multiline')).to.equal('false');
    expect(value.tabIndex).to.equal(0);
    expect(el.shadowRoot!.getElementById(value.getAttribute('aria-labelledby')!)!.textContent).to.equal('Single sign-on URL');
    expect(el.shadowRoot!.getElementById(value.getAttribute('aria-describedby')!)!.textContent).to.contain('Okta calls it');
    expect(value.textContent).to.equal(ACS);
    expect(getComputedStyle(value).fontFamily).to.match(/mono|Menlo|Consolas/i);
    expect(getComputedStyle(value).overflowWrap).to.equal('anywhere');
    expect(nameOf(part(el, 'copy-button'))).to.equal('Copy Single sign-on URL');
    expect(text(part(el, 'label'))).to.equal('Single sign-on URL');
  });

  it('copies with the keyboard through the clipboard, shows "Copied", announces it and fires sso-copy', async () => {
    const { el, announced } = await withAnnouncer<SsoCopyField>(html`<sso-copy-field label="Single sign-on URL" .value=${ACS}></sso-copy-field>`);
    await expect(el).to.be.accessible();
    const clipboard = new FakeClipboard();
    el.clipboard = clipboard;
    const button = part(el, 'copy-button');
    await tabTo(button);
    const copied = nextInternalEvent(el, 'sso-copy');
    await sendKeys({ press: 'Enter' });
    const event = await copied;
    expect(event).to.be.instanceOf(SsoCopyEvent);
    expect(event.value).to.equal(ACS);
    expect(event.label).to.equal('Single sign-on URL');
    expect(event.ok).to.equal(true);
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(false);
    expect(clipboard.written).to.deep.equal([ACS]);
    expect(el.copyState).to.equal('copied');
    expect(el.matches(':state(copied)')).to.equal(true);
    await el.updateComplete;
    expect(nameOf(button)).to.equal('Copied Single sign-on URL');
    expect(button.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
    expect(announced).to.deep.equal(['Copied Single sign-on URL']);
    expect(hasFocus(button), 'focus').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('goes back to "Copy" after copiedDuration', async () => {
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="Entity ID" value="https://sso.acme.example/saml/megacorp"></sso-copy-field>`);
    el.clipboard = new FakeClipboard();
    el.copiedDuration = 1;
    expect(await el.copy()).to.equal(true);
    expect(el.copyState).to.equal('copied');
    await waitUntil(() => el.copyState === 'idle', '"Copied" did not go away');
    await el.updateComplete;
    expect(nameOf(part(el, 'copy-button'))).to.equal('Copy Entity ID');
    expect(el.matches(':state(copied)')).to.equal(false);
  });

  it('falls back to selecting the value when the clipboard refuses, and asks for Ctrl+C', async () => {
    const { el, announced } = await withAnnouncer<SsoCopyField>(html`<sso-copy-field label="Entity ID" value="https://sso.acme.example/saml/megacorp"></sso-copy-field>`);
    el.clipboard = new FakeClipboard(true);
    await tabTo(part(el, 'copy-button'));
    const attempted = nextInternalEvent(el, 'sso-copy');
    await sendKeys({ press: 'Enter' });
    const event = await attempted;
    expect(event.ok).to.equal(false);
    expect(el.copyState).to.equal('manual');
    expect(el.matches(':state(manual-copy)')).to.equal(true);
    const value = part(el, 'value');
    expect(hasFocus(value), 'focus').to.equal(true);
    const selection = getSelection()!;
    expect(selection.toString()).to.equal('https://sso.acme.example/saml/megacorp');
    expect(value.contains(selection.getRangeAt(0).commonAncestorContainer)).to.equal(true);
    expect(announced).to.deep.equal([`Press ${copyShortcut()} to copy`]);
    expect(copyShortcut()).to.equal(isApplePlatform(navigator.userAgent) ? '⌘C' : 'Ctrl+C');
    await el.updateComplete;
    const manual = el.shadowRoot!.getElementById('manual')!;
    expect(manual.textContent).to.contain(`press ${copyShortcut()} to copy`);
    expect(value.getAttribute('aria-describedby')).to.contain('manual');
    expect(nameOf(part(el, 'copy-button'))).to.equal('Copy Entity ID');
    await expect(el).to.be.accessible();

    // The admin copies the selection by hand: the field says it was copied.
    value.dispatchEvent(new ClipboardEvent('copy', { bubbles: true, composed: true }));
    expect(el.copyState).to.equal('copied');
    expect(announced.at(-1)).to.equal('Copied Entity ID');
  });

  it('falls back the same way when there is no clipboard API (http: pages)', async () => {
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="Audience URI" value="urn:acme:megacorp"></sso-copy-field>`);
    el.clipboard = null;
    const attempted = nextInternalEvent(el, 'sso-copy');
    part(el, 'copy-button').click();
    expect((await attempted).ok).to.equal(false);
    expect(el.copyState).to.equal('manual');
    expect(getSelection()!.toString()).to.equal('urn:acme:megacorp');
  });

  it('has no live region of its own and stays silent without an announcer', async () => {
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="Entity ID" value="urn:x"></sso-copy-field>`);
    el.clipboard = new FakeClipboard();
    expect(await el.copy()).to.equal(true);
    await el.updateComplete;
    expect(count(el, '[role="status"], [role="alert"], [aria-live]')).to.equal(0);
  });

  it('renders a hostile value and label as text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedCopy=1"><b>bold</b>';
    const el = await fixture<SsoCopyField>(html`<sso-copy-field .label=${hostile} .value=${hostile}></sso-copy-field>`);
    await expect(el).to.be.accessible();
    expect(count(el, 'img, b')).to.equal(0);
    expect(part(el, 'value').textContent).to.equal(hostile);
    expect(part(el, 'label').textContent).to.equal(hostile);
    const clipboard = new FakeClipboard();
    el.clipboard = clipboard;
    await el.copy();
    expect(clipboard.written).to.deep.equal([hostile]);
    expect((window as { __pwnedCopy?: number }).__pwnedCopy).to.equal(undefined);
  });

  it('shows long XML in a multiline, scrollable, focusable box that keeps line breaks', async () => {
    const xml = `<?xml version="1.0"?>\n<EntityDescriptor entityID="https://sso.acme.example/saml/megacorp">\n${'  <KeyDescriptor/>\n'.repeat(40)}</EntityDescriptor>`;
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="SP metadata" multiline .value=${xml}></sso-copy-field>`);
    await expect(el).to.be.accessible();
    const value = part(el, 'value');
    expect(value.getAttribute('aria-multiline')).to.equal('true');
    expect(value.textContent).to.equal(xml);
    expect(getComputedStyle(value).whiteSpace).to.equal('pre-wrap');
    expect(value.scrollHeight).to.be.greaterThan(value.clientHeight);
    await tabTo(value);
  });

  it('wraps a long URL inside 320 px instead of overflowing', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width:320px"><sso-copy-field label="Single sign-on URL" .value=${ACS}></sso-copy-field></div>`);
    const el = wrapper.querySelector('sso-copy-field')!;
    await el.updateComplete;
    const value = part(el, 'value');
    const button = part(el, 'copy-button');
    expect(value.scrollWidth).to.be.at.most(value.clientWidth);
    expect(value.getBoundingClientRect().right).to.be.at.most(wrapper.getBoundingClientRect().right + 0.5);
    expect(button.getBoundingClientRect().right).to.be.at.most(wrapper.getBoundingClientRect().right + 0.5);
    expect(el.scrollWidth).to.be.at.most(320);
  });

  it('forgets "Copied" when the value changes, and disables Copy for an empty value', async () => {
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="Entity ID" value="urn:one"></sso-copy-field>`);
    el.clipboard = new FakeClipboard();
    await el.copy();
    expect(el.copyState).to.equal('copied');
    el.value = 'urn:two';
    await el.updateComplete;
    expect(el.copyState).to.equal('idle');
    expect(nameOf(part(el, 'copy-button'))).to.equal('Copy Entity ID');
    el.value = '';
    await el.updateComplete;
    expect((part(el, 'copy-button') as HTMLButtonElement).disabled).to.equal(true);
  });

  it('only the latest of two quick copies counts', async () => {
    const el = await fixture<SsoCopyField>(html`<sso-copy-field label="Entity ID" value="urn:x"></sso-copy-field>`);
    let release!: () => void;
    const slow: ClipboardLike = { writeText: () => new Promise<void>((resolve) => (release = resolve)) };
    el.clipboard = slow;
    const first = el.copy();
    el.clipboard = new FakeClipboard(true);
    await el.copy();
    expect(el.copyState).to.equal('manual');
    release();
    await first;
    expect(el.copyState).to.equal('manual');
  });

  it('is registered once and typed in HTMLElementTagNameMap', () => {
    expect(customElements.get('sso-copy-field')).to.equal(SsoCopyField);
    expect(document.createElement('sso-copy-field')).to.be.instanceOf(SsoCopyField);
  });
});

describe('copyText()', () => {
  it('writes to the given clipboard', async () => {
    const clipboard = new FakeClipboard();
    expect(await copyText('urn:x', { clipboard })).to.deep.equal({ ok: true });
    expect(clipboard.written).to.deep.equal(['urn:x']);
  });

  it('reports a refusal instead of throwing', async () => {
    const result = await copyText('urn:x', { clipboard: new FakeClipboard(true) });
    expect(result.ok).to.equal(false);
    expect(result.ok === false && result.reason).to.equal('rejected');
  });

  it('reports a clipboard that throws synchronously as refused', async () => {
    const result = await copyText('urn:x', {
      clipboard: {
        writeText: () => {
          throw new TypeError('boom');
        },
      },
    });
    expect(result.ok === false && result.reason).to.equal('rejected');
  });

  it('reports a missing clipboard as unavailable', async () => {
    expect(await copyText('urn:x', { clipboard: null })).to.deep.equal({ ok: false, reason: 'unavailable' });
  });

  it('names the copy shortcut of the platform', () => {
    expect(copyShortcut('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15')).to.equal('⌘C');
    expect(copyShortcut('Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X)')).to.equal('⌘C');
    expect(copyShortcut('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0')).to.equal('Ctrl+C');
    expect(copyShortcut('Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0')).to.equal('Ctrl+C');
  });
});
