import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { deepActiveElement, tabTo } from '../helpers.js';
import { provideContext } from '../../../src/portal/context.js';
import { SsoFileDrop, SsoFileErrorEvent, SsoFileSelectedEvent, checkFile, formatBytes, matchesAccept } from '../../../src/portal/ui/sso-file-drop.js';

const XML_ACCEPT = '.xml,text/xml,application/xml';
const CERT_ACCEPT = '.cer,.pem,.crt';
const METADATA = '<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1"/>';

/** Resolves with the next internal (non-composed) event `name` on `target`. */
function nextInternalEvent<K extends keyof HTMLElementEventMap>(target: EventTarget, name: K): Promise<HTMLElementEventMap[K]> {
  return new Promise((resolve) => {
    target.addEventListener(name, (event) => resolve(event as HTMLElementEventMap[K]), { once: true });
  });
}

/** Records every `sso-file-*` event, to prove one did not fire. */
function recordFileEvents(el: EventTarget): string[] {
  const fired: string[] = [];
  for (const name of ['sso-file-selected', 'sso-file-error', 'sso-file-removed'] as const) el.addEventListener(name, () => fired.push(name));
  return fired;
}

/** Renders `template` inside a parent that provides the announcer context, as the portal does. */
async function withAnnouncer<T extends Element>(template: TemplateResult): Promise<{ el: T; announced: string[] }> {
  const announced: string[] = [];
  const parentNode = document.createElement('div');
  provideContext(parentNode, { announcer: { announce: (message: string) => announced.push(message) } });
  const el = await fixture<T>(template, { parentNode });
  return { el, announced };
}

function part(el: SsoFileDrop, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

function input(el: SsoFileDrop): HTMLInputElement {
  return el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
}

function transfer(...files: File[]): DataTransfer {
  const dt = new DataTransfer();
  for (const file of files) dt.items.add(file);
  return dt;
}

/** What the browser does when the admin picks files in the file dialog. */
function choose(el: SsoFileDrop, ...files: File[]): void {
  const field = input(el);
  field.files = transfer(...files).files;
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

function drag(el: SsoFileDrop, type: 'dragenter' | 'dragover' | 'dragleave' | 'drop', dataTransfer: DataTransfer): DragEvent {
  const event = new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true, composed: true });
  part(el, 'drop-zone').dispatchEvent(event);
  return event;
}

const metadataFile = (name = 'idp.xml', content: BlobPart = METADATA) => new File([content], name, { type: 'text/xml' });
/** How many nodes of the shadow root match; a number, so a failure never has to print a DOM node. */
const count = (el: Element, selector: string) => el.shadowRoot!.querySelectorAll(selector).length;

/** Whether `target` has focus (a boolean, for the same reason). */
const hasFocus = (target: Element) => deepActiveElement() === target;

const text = (node: Node) => (node.textContent ?? '').replace(/\s+/g, ' ').trim();

function describedBy(el: SsoFileDrop, control: HTMLElement): string {
  return (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => text(el.shadowRoot!.getElementById(id)!))
    .join(' | ');
}

describe('<sso-file-drop>', () => {
  it('is accessible, and the keyboard reaches "Choose file", which opens the picker', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT} hint="Download it from your IdP's SAML app."></sso-file-drop>`);
    await expect(el).to.be.accessible();
    const button = part(el, 'button');
    expect(text(button)).to.equal('Choose file');
    expect(button.tagName).to.equal('BUTTON');
    const group = el.shadowRoot!.querySelector('[role="group"]')!;
    expect(text(el.shadowRoot!.getElementById(group.getAttribute('aria-labelledby')!)!)).to.equal('IdP metadata file');
    expect(describedBy(el, button)).to.equal("Download it from your IdP's SAML app.");
    expect(input(el).accept).to.equal(XML_ACCEPT);
    let opened = 0;
    input(el).click = () => opened++;
    await tabTo(button);
    await sendKeys({ press: 'Enter' });
    expect(opened).to.equal(1);
    await sendKeys({ press: 'Space' });
    expect(opened).to.equal(2);
  });

  it('reads a chosen file and fires sso-file-selected with the File, its bytes and its text (BOM kept)', async () => {
    const { el, announced } = await withAnnouncer<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const file = metadataFile('okta-metadata.xml', `\uFEFF${METADATA}`);
    const selected = nextInternalEvent(el, 'sso-file-selected');
    choose(el, file);
    const event = await selected;
    expect(event).to.be.instanceOf(SsoFileSelectedEvent);
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(false);
    expect(event.file).to.equal(file);
    expect(event.bytes).to.be.instanceOf(Uint8Array);
    expect([...event.bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(event.bytes.length).to.equal(file.size);
    expect(event.text).to.equal(`\uFEFF${METADATA}`);
    expect(el.file).to.equal(file);
    await el.updateComplete;
    expect(text(part(el, 'file'))).to.contain('okta-metadata.xml');
    expect(text(part(el, 'file'))).to.contain(`(${formatBytes(file.size)})`);
    expect(text(part(el, 'button'))).to.equal('Choose another file');
    expect(announced).to.deep.equal([`Selected okta-metadata.xml, ${formatBytes(file.size)}.`]);
    expect(input(el).value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('takes a dropped file', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="Signing certificate" accept=${CERT_ACCEPT}></sso-file-drop>`);
    const pem = new File(['-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n'], 'okta.pem');
    const selected = nextInternalEvent(el, 'sso-file-selected');
    const drop = drag(el, 'drop', transfer(pem));
    expect(drop.defaultPrevented).to.equal(true);
    const event = await selected;
    expect(event.file.name).to.equal('okta.pem');
    expect(event.text).to.contain('BEGIN CERTIFICATE');
  });

  it('shows a drag-over state only while files are dragged over it', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const zone = part(el, 'drop-zone');
    const dt = transfer(metadataFile());
    expect(drag(el, 'dragenter', dt).defaultPrevented).to.equal(true);
    await el.updateComplete;
    expect(el.dragOver).to.equal(true);
    expect(el.matches(':state(drag-over)')).to.equal(true);
    expect(zone.classList.contains('zone--over')).to.equal(true);
    expect(getComputedStyle(zone).borderStyle).to.equal('solid');
    // (A constructed DataTransfer ignores `dropEffect`, so only the claim on the drop is checked.)
    expect(drag(el, 'dragover', dt).defaultPrevented).to.equal(true);
    // Moving over a child: enter the child, then leave the zone; still over.
    const prompt = zone.querySelector('.prompt')!;
    prompt.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    drag(el, 'dragleave', dt);
    expect(el.dragOver).to.equal(true);
    prompt.dispatchEvent(new DragEvent('dragleave', { dataTransfer: dt, bubbles: true }));
    await el.updateComplete;
    expect(el.dragOver).to.equal(false);
    expect(el.matches(':state(drag-over)')).to.equal(false);
    expect(zone.classList.contains('zone--over')).to.equal(false);
    expect(getComputedStyle(zone).borderStyle).to.equal('dashed');

    const textOnly = new DataTransfer();
    textOnly.setData('text/plain', 'hello');
    expect(drag(el, 'dragenter', textOnly).defaultPrevented).to.equal(false);
    expect(el.dragOver).to.equal(false);

    drag(el, 'dragenter', dt);
    expect(el.dragOver).to.equal(true);
    const fired = recordFileEvents(el);
    const error = nextInternalEvent(el, 'sso-file-error');
    drag(el, 'drop', transfer(new File(['x'], 'notes.txt', { type: 'text/plain' })));
    expect(el.dragOver).to.equal(false);
    await error;
    expect(fired).to.deep.equal(['sso-file-error']);
  });

  it('refuses a file over maxBytes, says so in plain words tied to the button, and announces it', async () => {
    const { el, announced } = await withAnnouncer<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const fired = recordFileEvents(el);
    const big = new File([new Uint8Array(5_200_000)], 'saml-export.xml', { type: 'text/xml' });
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, big);
    const event = await refused;
    expect(event).to.be.instanceOf(SsoFileErrorEvent);
    expect(event.composed).to.equal(false);
    expect(event.code).to.equal('file_too_large');
    expect(event.message).to.contain(`This file is ${formatBytes(5_200_000)}; metadata is at most ${formatBytes(2_000_000)}.`);
    expect(event.message).to.contain('Make sure you downloaded');
    expect(formatBytes(5_200_000)).to.match(/^5[.,]2 MB$/);
    await el.updateComplete;
    const error = part(el, 'error');
    expect(error.textContent).to.contain(event.message);
    expect(describedBy(el, part(el, 'button'))).to.contain(event.message);
    expect(announced).to.deep.equal([event.message]);
    expect(el.error).to.deep.equal({ code: 'file_too_large', message: event.message });
    expect(el.file).to.equal(undefined);
    expect(fired).to.deep.equal(['sso-file-error']);
    expect(count(el, '[role="status"], [role="alert"], [aria-live]')).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('a refusal on screen is worded again when the language changes', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, new File([new Uint8Array(5_200_000)], 'saml-export.xml', { type: 'text/xml' }));
    const english = (await refused).message;
    await el.updateComplete;
    const { switchLocale } = await import('../../../src/portal/localize/switch-locale.js');
    try {
      await switchLocale('de');
      await waitUntil(() => !text(part(el, 'error')).includes('Make sure you downloaded'), 'the refusal in German');
      expect(text(part(el, 'error'))).to.contain('5,2 MB');
      expect(el.error!.code).to.equal('file_too_large');
    } finally {
      await switchLocale('en');
    }
    await waitUntil(() => text(part(el, 'error')) === english, 'the refusal in English again');
  });

  it('respects a smaller max-bytes attribute', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="Signing certificate" accept=${CERT_ACCEPT} max-bytes="100"></sso-file-drop>`);
    expect(el.maxBytes).to.equal(100);
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, new File([new Uint8Array(101)], 'big.cer'));
    const event = await refused;
    expect(event.code).to.equal('file_too_large');
    expect(event.message).to.contain('a certificate is at most 100 bytes');
  });

  it('refuses a file of the wrong type by extension and MIME type', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const fired = recordFileEvents(el);
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, new File(['%PDF-1.7'], 'setup-guide.pdf', { type: 'application/pdf' }));
    const event = await refused;
    expect(event.code).to.equal('file_wrong_type');
    // The file's name is isolated (FSI…PDI), so a right-to-left name keeps its order in the sentence.
    expect(event.message).to.equal('“\u2068setup-guide.pdf\u2069” is not a metadata file. Choose the .xml metadata file you downloaded from your identity provider.');
    expect(fired).to.deep.equal(['sso-file-error']);
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('lists the certificate extensions when a certificate has the wrong type', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="Signing certificate" accept=${CERT_ACCEPT}></sso-file-drop>`);
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, new File(['x'], 'cert.txt', { type: 'text/plain' }));
    const event = await refused;
    expect(event.code).to.equal('file_wrong_type');
    // Intl.ListFormat's list, in the portal's language.
    expect(event.message).to.contain('Choose the .cer, .pem, or .crt file');
  });

  it('refuses an empty file', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, new File([], 'idp.xml', { type: 'text/xml' }));
    const event = await refused;
    expect(event.code).to.equal('file_empty');
    expect(event.message).to.contain('“\u2068idp.xml\u2069” is empty');
  });

  it('uses the first of several dropped files and says so', async () => {
    const { el, announced } = await withAnnouncer<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const selected = nextInternalEvent(el, 'sso-file-selected');
    drag(el, 'drop', transfer(metadataFile('first.xml'), metadataFile('second.xml'), metadataFile('third.xml')));
    expect((await selected).file.name).to.equal('first.xml');
    await el.updateComplete;
    const note = part(el, 'note');
    expect(text(note)).to.equal('You dropped more than one file; only the first, “\u2068first.xml\u2069”, is used.');
    expect(describedBy(el, part(el, 'button'))).to.contain('only the first');
    expect(announced[0]).to.match(/^You dropped more than one file; only the first, “\u2068first\.xml\u2069”, is used\. Selected first\.xml/);
    await expect(el).to.be.accessible();
  });

  it('clears an earlier error when a good file comes', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const refused = nextInternalEvent(el, 'sso-file-error');
    choose(el, new File([], 'idp.xml', { type: 'text/xml' }));
    await refused;
    await el.updateComplete;
    expect(count(el, '[part~="error"]')).to.equal(1);
    const selected = nextInternalEvent(el, 'sso-file-selected');
    choose(el, metadataFile());
    await selected;
    await el.updateComplete;
    expect(el.error).to.equal(undefined);
    expect(count(el, '[part~="error"]')).to.equal(0);
    expect(part(el, 'button').hasAttribute('aria-describedby')).to.equal(false);
  });

  it('removes the chosen file with the keyboard and keeps focus in the field', async () => {
    const { el, announced } = await withAnnouncer<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const file = metadataFile();
    const selected = nextInternalEvent(el, 'sso-file-selected');
    choose(el, file);
    await selected;
    await el.updateComplete;
    const remove = part(el, 'file').querySelector('button')!;
    expect(text(remove)).to.equal('Remove idp.xml');
    await tabTo(remove);
    const removed = nextInternalEvent(el, 'sso-file-removed');
    await sendKeys({ press: 'Enter' });
    expect((await removed).file).to.equal(file);
    await el.updateComplete;
    expect(el.file).to.equal(undefined);
    expect(count(el, '[part~="file"]')).to.equal(0);
    expect(hasFocus(part(el, 'button')), 'focus').to.equal(true);
    expect(text(part(el, 'button'))).to.equal('Choose file');
    expect(announced.at(-1)).to.equal('Removed idp.xml.');
  });

  it('when disabled, refuses drops (without letting the browser open the file) and disables the button', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT} disabled></sso-file-drop>`);
    await expect(el).to.be.accessible();
    const fired = recordFileEvents(el);
    expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
    const dt = transfer(metadataFile());
    drag(el, 'dragenter', dt);
    expect(el.dragOver).to.equal(false);
    expect(drag(el, 'dragover', dt).defaultPrevented).to.equal(true);
    expect(el.dragOver).to.equal(false);
    expect(drag(el, 'drop', dt).defaultPrevented).to.equal(true);
    let opened = 0;
    input(el).click = () => opened++;
    el.openPicker();
    expect(opened).to.equal(0);
    await el.updateComplete;
    expect(fired).to.deep.equal([]);
    expect(el.file).to.equal(undefined);
  });

  it('renders a hostile file name as text', async () => {
    const el = await fixture<SsoFileDrop>(html`<sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT}></sso-file-drop>`);
    const hostile = '<img src=x onerror="window.__pwnedDrop=1">.xml';
    const selected = nextInternalEvent(el, 'sso-file-selected');
    choose(el, metadataFile(hostile));
    await selected;
    await el.updateComplete;
    expect(count(el, 'img')).to.equal(0);
    expect(part(el, 'file').textContent).to.contain(hostile);
    expect((window as { __pwnedDrop?: number }).__pwnedDrop).to.equal(undefined);
  });

  it('fits in 320 px', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="width:320px"><sso-file-drop label="IdP metadata file" accept=${XML_ACCEPT} hint="Download it from the SAML app's Sign On tab."></sso-file-drop></div>`,
    );
    const el = wrapper.querySelector('sso-file-drop')!;
    const selected = nextInternalEvent(el, 'sso-file-selected');
    choose(el, metadataFile('a-very-long-metadata-file-name-downloaded-from-the-identity-provider-console.xml'));
    await selected;
    await el.updateComplete;
    expect(el.scrollWidth).to.be.at.most(320);
    for (const name of ['drop-zone', 'file', 'button']) {
      expect(part(el, name).getBoundingClientRect().right, name).to.be.at.most(wrapper.getBoundingClientRect().right + 0.5);
    }
  });
});

describe('file checks', () => {
  it('matches accept by extension (any case) or MIME type', () => {
    expect(matchesAccept({ name: 'IDP.XML', type: '' }, XML_ACCEPT)).to.equal(true);
    expect(matchesAccept({ name: 'metadata', type: 'application/xml' }, XML_ACCEPT)).to.equal(true);
    expect(matchesAccept({ name: 'metadata', type: 'text/xml; charset=utf-8' }, XML_ACCEPT)).to.equal(true);
    expect(matchesAccept({ name: 'idp.xml.pdf', type: 'application/pdf' }, XML_ACCEPT)).to.equal(false);
    expect(matchesAccept({ name: '.xml', type: '' }, XML_ACCEPT)).to.equal(false);
    expect(matchesAccept({ name: 'okta.crt', type: 'application/x-x509-ca-cert' }, CERT_ACCEPT)).to.equal(true);
    expect(matchesAccept({ name: 'photo.png', type: 'image/png' }, 'image/*')).to.equal(true);
    expect(matchesAccept({ name: 'anything.bin', type: '' }, '')).to.equal(true);
  });

  it('checks size first, then type, then emptiness', () => {
    expect(checkFile({ name: 'x.pdf', type: 'application/pdf', size: 3_000_000 }, { accept: XML_ACCEPT, maxBytes: 2_000_000 })?.code).to.equal('file_too_large');
    expect(checkFile({ name: 'x.pdf', type: 'application/pdf', size: 0 }, { accept: XML_ACCEPT, maxBytes: 2_000_000 })?.code).to.equal('file_wrong_type');
    expect(checkFile({ name: 'x.xml', type: '', size: 0 }, { accept: XML_ACCEPT, maxBytes: 2_000_000 })?.code).to.equal('file_empty');
    expect(checkFile({ name: 'x.xml', type: '', size: 10 }, { accept: XML_ACCEPT, maxBytes: 2_000_000 })).to.equal(undefined);
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(1, 'en')).to.equal('1 byte');
    expect(formatBytes(512, 'en')).to.equal('512 bytes');
    expect(formatBytes(1_500, 'en')).to.equal('1.5 kB');
    expect(formatBytes(2_000_000, 'en')).to.equal('2 MB');
    expect(formatBytes(5_200_000, 'en')).to.equal('5.2 MB');
  });
});
