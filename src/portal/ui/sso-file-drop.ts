import { LitElement, css, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consumeAnnouncer, type Announcer } from '../context.js';
import { defineElement } from '../define.js';
import { controlStyles, shared } from '../styles/shared.js';
import { activeLocale } from '../localize/active-locale.js';
import { msg, str } from '../localize/msg.js';

/** Why a file was refused. */
export type FileErrorCode = 'file_too_large' | 'file_wrong_type' | 'file_empty' | 'file_unreadable';

export interface FileProblem {
  code: FileErrorCode;
  /** Plain-language explanation with what to do, for the admin. */
  message: string;
}

/** What the file is for, guessed from `accept`; it words the error messages. */
type FileKind = 'metadata' | 'certificate' | 'file';

/** The tokens of an `accept` attribute, lower-cased: `.xml`, `text/xml`, `image/*`. */
export function parseAccept(accept: string): string[] {
  return accept
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

/** Whether a file's name or MIME type matches `accept` (as the browser's picker would); any file when `accept` is empty. */
export function matchesAccept(file: { name: string; type: string }, accept: string): boolean {
  const tokens = parseAccept(accept);
  if (tokens.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase().split(';')[0]!.trim();
  return tokens.some((token) => {
    if (token.startsWith('.')) return name.endsWith(token) && name.length > token.length;
    if (!type) return false;
    if (token.endsWith('/*')) return type.startsWith(token.slice(0, -1));
    return type === token;
  });
}

/** "512 bytes", "1.5 kB", "5.2 MB" (decimal units, as operating systems show file sizes), in the portal's language by Intl. */
export function formatBytes(bytes: number, locale = activeLocale.format): string {
  const [n, unit] = bytes < 1000 ? [bytes, 'byte'] : bytes < 1_000_000 ? [bytes / 1000, 'kilobyte'] : [bytes / 1_000_000, 'megabyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: bytes < 1000 ? 'long' : 'short', maximumFractionDigits: 1 }).format(n);
}

/** A file's name inside a sentence, isolated (FSI…PDI): an Arabic name in English text, or the reverse, keeps its order. */
const isolate = (name: string) => `\u2068${name}\u2069`;

function kindOf(accept: string): FileKind {
  const tokens = parseAccept(accept);
  if (tokens.some((t) => t === '.xml' || t.endsWith('/xml') || t.endsWith('+xml'))) return 'metadata';
  if (tokens.some((t) => ['.cer', '.pem', '.crt', '.der'].includes(t) || t.includes('x509') || t.includes('x-pem'))) return 'certificate';
  return 'file';
}

/** ".cer, .pem or .crt", in the portal's language. */
function listExtensions(accept: string): string {
  const tokens = parseAccept(accept);
  const extensions = tokens.filter((t) => t.startsWith('.'));
  return new Intl.ListFormat(activeLocale.format, { type: 'disjunction' }).format(extensions.length > 0 ? extensions : tokens);
}

/**
 * Checks a file before reading it: size, then type, then emptiness. Returns the problem in
 * plain language, or `undefined` when the file may be read.
 */
export function checkFile(file: { name: string; type: string; size: number }, { accept = '', maxBytes = Infinity }: { accept?: string; maxBytes?: number }): FileProblem | undefined {
  const kind = kindOf(accept);
  if (file.size > maxBytes) {
    const size = formatBytes(file.size);
    const limit = formatBytes(maxBytes);
    const message =
      kind === 'metadata'
        ? msg(str`This file is ${size}; metadata is at most ${limit}. Make sure you downloaded your identity provider's SAML metadata (an .xml file), not a log, an export or an archive.`)
        : kind === 'certificate'
          ? msg(str`This file is ${size}; a certificate is at most ${limit}. Make sure you chose your identity provider's signing certificate, not a certificate bundle or an archive.`)
          : msg(str`This file is ${size}; the most this accepts is ${limit}. Choose a smaller file.`);
    return { code: 'file_too_large', message };
  }
  if (!matchesAccept(file, accept)) {
    const name = isolate(file.name);
    const message =
      kind === 'metadata'
        ? msg(str`“${name}” is not a metadata file. Choose the .xml metadata file you downloaded from your identity provider.`)
        : kind === 'certificate'
          ? msg(str`“${name}” is not a certificate file. Choose the ${listExtensions(accept)} file you downloaded from your identity provider.`)
          : msg(str`“${name}” is not a type this accepts. Choose a ${listExtensions(accept)} file.`);
    return { code: 'file_wrong_type', message };
  }
  if (file.size === 0) {
    return { code: 'file_empty', message: msg(str`“${isolate(file.name)}” is empty. Download it again from your identity provider and choose the new file.`) };
  }
  return undefined;
}

/** Internal: a file was chosen or dropped, checked and read. Bubbles, not composed. */
export class SsoFileSelectedEvent extends Event {
  static readonly eventName = 'sso-file-selected';
  constructor(
    readonly file: File,
    /** The file's bytes. */
    readonly bytes: Uint8Array,
    /** The bytes decoded as UTF-8; a byte-order mark is kept for the parser to handle. */
    readonly text: string,
  ) {
    super(SsoFileSelectedEvent.eventName, { bubbles: true, composed: false });
  }
}

/** Internal: a chosen or dropped file was refused; no file is selected now. Bubbles, not composed. */
export class SsoFileErrorEvent extends Event {
  static readonly eventName = 'sso-file-error';
  constructor(
    readonly code: FileErrorCode,
    /** Plain-language explanation, as shown to the admin. */
    readonly message: string,
  ) {
    super(SsoFileErrorEvent.eventName, { bubbles: true, composed: false });
  }
}

/** Internal: the admin removed the chosen file. Bubbles, not composed. */
export class SsoFileRemovedEvent extends Event {
  static readonly eventName = 'sso-file-removed';
  constructor(readonly file: File) {
    super(SsoFileRemovedEvent.eventName, { bubbles: true, composed: false });
  }
}

const uploadIcon = svg`<svg class="icon icon--large" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path d="M12 15V4M7.5 8.5L12 4l4.5 4.5M4.5 14.5v4a1.5 1.5 0 0 0 1.5 1.5h12a1.5 1.5 0 0 0 1.5-1.5v-4" />
</svg>`;

const fileIcon = svg`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M9.5 1.5h-5a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h7a1 1 0 0 0 1-1v-8.5zM9.5 1.5v3.5h3" />
</svg>`;

const errorIcon = svg`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <circle cx="8" cy="8" r="6.5" /><path d="M8 4.5v4M8 11v.5" />
</svg>`;

/**
 * Pick or drop one file: IdP metadata XML, or a certificate. The file is checked (size, type,
 * not empty) and read, then handed over with `sso-file-selected`; a refused file is explained in
 * plain language next to the control (and with `sso-file-error`). Messages are spoken through
 * the portal's announcer (context.ts); the element has no live region of its own.
 *
 * The host element matches `:state(drag-over)` while a file is dragged over it.
 *
 * @tagname sso-file-drop
 * @summary Choose or drop one file.
 * @fires sso-file-selected - Internal (not composed): a file passed the checks and was read; `file`, `bytes`, `text`.
 * @fires sso-file-error - Internal (not composed): a file was refused; `code`, `message`.
 * @fires sso-file-removed - Internal (not composed): the admin removed the chosen file; `file`.
 * @csspart label - The visible label.
 * @csspart hint - The hint under the label.
 * @csspart drop-zone - The area that takes a dropped file.
 * @csspart button - The "Choose file" / "Choose another file" button.
 * @csspart file - The chosen file: name, size and Remove button.
 * @csspart note - Says that only the first of several dropped files is used.
 * @csspart error - Why the file was refused.
 */
export class SsoFileDrop extends LitElement {
  static override styles = [
    shared,
    controlStyles,
    css`
      .field {
        gap: var(--sso-space-2);
      }
      .hint,
      .note,
      .error {
        font-size: var(--sso-font-size-sm);
        overflow-wrap: anywhere;
      }
      .zone {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: center;
        gap: var(--sso-space-3);
        min-width: 0;
        padding: var(--sso-space-4);
        border: 2px dashed;
        border-color: var(--sso-color-border);
        border-radius: var(--sso-radius-lg);
        background: var(--sso-color-surface);
        color: var(--sso-color-text);
        text-align: center;
        transition: background-color var(--sso-transition), border-color var(--sso-transition);
      }
      .zone--over {
        border-style: solid;
        border-color: var(--sso-color-accent);
        background: var(--sso-color-surface-raised);
      }
      .zone--invalid {
        border-color: var(--sso-color-danger);
      }
      .zone--disabled {
        opacity: 0.6;
      }
      .zone--has-file {
        justify-content: space-between;
        text-align: start;
      }
      .prompt {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: center;
        gap: var(--sso-space-2);
      }
      .file {
        display: flex;
        flex: 1 1 12rem;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sso-space-2);
        min-width: 0;
      }
      .file-label {
        display: inline-flex;
        align-items: center;
        gap: var(--sso-space-2);
        min-width: 0;
      }
      .file-name {
        font-family: var(--sso-font-family-mono, monospace);
        font-size: var(--sso-font-size-sm);
        overflow-wrap: anywhere;
        min-width: 0;
      }
      .icon {
        flex: none;
        width: 1rem;
        height: 1rem;
        fill: none;
        stroke: currentColor;
        stroke-width: 1.5;
        stroke-linecap: round;
        stroke-linejoin: round;
      }
      .icon--large {
        width: 1.5rem;
        height: 1.5rem;
        color: var(--sso-color-text-muted);
      }
      .error {
        display: flex;
        align-items: flex-start;
        gap: var(--sso-space-2);
        color: var(--sso-color-danger);
      }
      .error .icon {
        margin-block-start: 0.2em;
      }
      @media (forced-colors: active) {
        .zone {
          border-color: CanvasText;
        }
        .zone--over {
          border-color: Highlight;
        }
        .zone--invalid {
          border-style: solid;
        }
      }
    `,
  ];

  /** The visible label, e.g. "IdP metadata file". */
  @property() label = '';

  /** File types to accept, as in `<input accept>`: `.xml,text/xml,application/xml` or `.cer,.pem,.crt`. */
  @property() accept = '';

  /** The largest file accepted, in bytes. */
  @property({ type: Number, attribute: 'max-bytes' }) maxBytes = 2_000_000;

  /** Help under the label, e.g. where to download the file. */
  @property() hint?: string;

  /** Refuses files and disables the button. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Speaks messages through the portal's live region; the portal provides it (context.ts). */
  @property({ attribute: false })
  announcer?: Announcer;

  constructor() {
    super();
    consumeAnnouncer(this);
  }

  @state() private chosen?: File;
  // Worded at each render, so a language switch words them again.
  @state() private problem?: () => FileProblem;
  @state() private note?: () => string;
  @state() private reading = false;
  @state() private over = false;

  private readonly internals = this.attachInternals();
  private dragDepth = 0;
  private readRun = 0;

  /** The file that passed the checks and was read, if any. */
  get file(): File | undefined {
    return this.chosen;
  }

  /** Why the last file was refused, if it was. */
  get error(): FileProblem | undefined {
    return this.problem?.();
  }

  /** True while a file is dragged over the drop zone. */
  get dragOver(): boolean {
    return this.over;
  }

  override render() {
    const file = this.chosen;
    const note = this.note?.();
    const problem = this.problem?.();
    const describedBy = [this.hint ? 'hint' : '', note ? 'note' : '', problem ? 'error' : ''].filter(Boolean).join(' ');
    const zoneClass = [
      'zone',
      this.over ? 'zone--over' : '',
      problem ? 'zone--invalid' : '',
      this.disabled ? 'zone--disabled' : '',
      file ? 'zone--has-file' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return html`<div class="field" role="group" aria-labelledby="label">
      <span id="label" part="label" class="label">${this.label}</span>
      ${this.hint ? html`<p id="hint" part="hint" class="hint muted">${this.hint}</p>` : nothing}
      <div
        part="drop-zone"
        class=${zoneClass}
        aria-busy=${this.reading ? 'true' : 'false'}
        @dragenter=${this.onDragEnter}
        @dragover=${this.onDragOver}
        @dragleave=${this.onDragLeave}
        @drop=${this.onDrop}
      >
        ${file
          ? html`<div part="file" class="file">
              <span class="file-label">${fileIcon}<span class="file-name" dir="auto">${file.name}</span></span>
              <span class="muted">(${formatBytes(file.size)})</span>
              <button class="button" type="button" ?disabled=${this.disabled} @click=${this.removeFile}>
                ${msg(html`Remove<span class="visually-hidden"> ${file.name}</span>`)}
              </button>
            </div>`
          : html`<span class="prompt">${uploadIcon}<span class="muted">${msg('Drag the file here, or')}</span></span>`}
        <button
          part="button"
          class=${file ? 'button' : 'button button--primary'}
          type="button"
          ?disabled=${this.disabled}
          aria-describedby=${describedBy || nothing}
          @click=${this.openPicker}
        >
          ${file ? msg('Choose another file') : msg('Choose file')}
        </button>
        <input type="file" hidden accept=${this.accept || nothing} ?disabled=${this.disabled} @change=${this.onInputChange} />
      </div>
      ${note ? html`<p id="note" part="note" class="note">${note}</p>` : nothing}
      ${problem ? html`<p id="error" part="error" class="error">${errorIcon}<span>${problem.message}</span></p>` : nothing}
    </div>`;
  }

  /** Opens the browser's file picker (as the button does). */
  openPicker(): void {
    if (this.disabled) return;
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  }

  private onInputChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    // So that choosing the same file again (after fixing it on disk) fires `change` again.
    input.value = '';
    void this.takeFiles(files);
  }

  private onDragEnter(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    this.dragDepth++;
    this.setOver(!this.disabled);
  }

  private onDragOver(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    // Always claim the drop, even when disabled: otherwise the browser opens the file in place of the host's page.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = this.disabled ? 'none' : 'copy';
    this.setOver(!this.disabled);
  }

  private onDragLeave(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.setOver(false);
  }

  private onDrop(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    this.dragDepth = 0;
    this.setOver(false);
    if (this.disabled) return;
    void this.takeFiles([...(event.dataTransfer?.files ?? [])]);
  }

  private async takeFiles(files: File[]): Promise<void> {
    const [file] = files;
    if (!file || this.disabled) return;
    const run = ++this.readRun;
    this.note = files.length > 1 ? () => msg(str`You dropped more than one file; only the first, “${isolate(file.name)}”, is used.`) : undefined;
    const { accept, maxBytes } = this;
    const problem = checkFile(file, { accept, maxBytes });
    if (problem) {
      this.refuse(() => checkFile(file, { accept, maxBytes }) ?? problem);
      return;
    }
    this.reading = true;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      if (run === this.readRun) {
        this.refuse(() => ({ code: 'file_unreadable', message: msg(str`“${isolate(file.name)}” could not be read. It may have been moved or deleted; choose it again.`) }));
      }
      return;
    }
    if (run !== this.readRun) return; // another file came in meanwhile
    this.reading = false;
    if (bytes.length === 0) {
      this.refuse(() => checkFile({ name: file.name, type: file.type, size: 0 }, { accept })!);
      return;
    }
    this.chosen = file;
    this.problem = undefined;
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    this.announce(`${this.note?.() ?? ''} ${msg(str`Selected ${file.name}, ${formatBytes(file.size)}.`)}`.trim());
    this.dispatchEvent(new SsoFileSelectedEvent(file, bytes, text));
  }

  private refuse(words: () => FileProblem): void {
    this.reading = false;
    this.chosen = undefined;
    this.problem = words;
    const problem = words();
    this.announce(`${this.note?.() ?? ''} ${problem.message}`.trim());
    this.dispatchEvent(new SsoFileErrorEvent(problem.code, problem.message));
  }

  private async removeFile(): Promise<void> {
    const file = this.chosen;
    if (!file) return;
    this.readRun++;
    this.reading = false;
    this.chosen = undefined;
    this.note = undefined;
    this.problem = undefined;
    this.announce(msg(str`Removed ${file.name}.`));
    this.dispatchEvent(new SsoFileRemovedEvent(file));
    // The Remove button is gone: keep the keyboard user in the field.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[part~="button"]')?.focus();
  }

  private setOver(over: boolean): void {
    if (this.over === over) return;
    this.over = over;
    try {
      if (over) this.internals.states.add('drag-over');
      else this.internals.states.delete('drag-over');
    } catch {
      // No CustomStateSet: the `dragOver` property still tells.
    }
  }

  private announce(message: string): void {
    this.announcer?.announce(message);
  }
}

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

defineElement('sso-file-drop', SsoFileDrop);

declare global {
  interface HTMLElementTagNameMap {
    'sso-file-drop': SsoFileDrop;
  }
  interface HTMLElementEventMap {
    'sso-file-selected': SsoFileSelectedEvent;
    'sso-file-error': SsoFileErrorEvent;
    'sso-file-removed': SsoFileRemovedEvent;
  }
}
