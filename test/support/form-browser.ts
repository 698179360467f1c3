/// <reference types="node" />
/**
 * A tiny "browser" for server tests of login flows: keeps cookies per origin, follows
 * redirects, reads the forms of a page and submits them as a browser would (hidden fields,
 * checked radios, the pressed button). Only for our own pages on 127.0.0.1.
 */

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

export interface FormData {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** The submit buttons' name=value pairs. */
  buttons: { name: string; value: string; text: string }[];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#x2F;': '/' };
const decode = (value: string): string => value.replace(/&(?:amp|lt|gt|quot|#39|#x27|#x2F);/g, (e) => ENTITIES[e] ?? e);

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const name = match[1]!.toLowerCase();
    if (name === 'input' || name === 'form' || name === 'button') continue;
    out[name] = decode(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return out;
}

/** The forms of a page, in order. */
export function formsOf(page: Page): FormData[] {
  const forms: FormData[] = [];
  for (const match of page.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(match[1]!);
    const body = match[2]!;
    const fields: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]!);
      if (!a.name) continue;
      const type = (a.type ?? 'text').toLowerCase();
      if ((type === 'radio' || type === 'checkbox') && !('checked' in a)) continue;
      if (type === 'submit' || type === 'button') continue;
      fields[a.name] = a.value ?? (type === 'checkbox' ? 'on' : '');
    }
    const buttons = [...body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)]
      .map((b) => ({ attrs: attributes(b[1]!), text: b[2]!.replace(/<[^>]+>/g, '').trim() }))
      .filter((b) => (b.attrs.type ?? 'submit') === 'submit')
      .map((b) => ({ name: b.attrs.name ?? '', value: b.attrs.value ?? '', text: b.text }));
    forms.push({ action: new URL(attrs.action ?? page.url, page.url).href, method: (attrs.method ?? 'get').toUpperCase(), fields, buttons });
  }
  return forms;
}

export class FormBrowser {
  #cookies = new Map<string, Map<string, string>>();
  /** Every URL requested, in order (to check where the flow went). */
  readonly visited: string[] = [];

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    if (target.hostname !== '127.0.0.1') throw new Error(`FormBrowser: refusing to leave 127.0.0.1 (${url})`);
    // A new connection per request, as servers in these tests restart on the same port: a kept-alive
    // socket to the stopped server could be picked just as it closes ("other side closed").
    const headers: Record<string, string> = { connection: 'close', ...init.headers };
    const jar = this.#cookies.get(target.origin);
    if (jar?.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    this.visited.push(url);
    const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const cookies = this.#cookies.get(target.origin) ?? new Map<string, string>();
      if (/max-age=0/i.test(cookie) || value === '') cookies.delete(name);
      else cookies.set(name, value);
      this.#cookies.set(target.origin, cookies);
    }
    return { url, status: response.status, headers: response.headers, text: await response.text() };
  }

  /** Requests `url`, then follows redirects (as GET after 302/303) until a page answers. */
  async go(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    let page = await this.request(url, init);
    for (let hops = 0; page.status >= 300 && page.status < 400; hops++) {
      if (hops > 10) throw new Error('FormBrowser: too many redirects');
      const location = page.headers.get('location');
      if (!location) break;
      const next = new URL(location, page.url).href;
      page = await this.request(next, page.status === 307 || page.status === 308 ? init : {});
    }
    return page;
  }

  /** Submits a form of `page` (the first unless `index`), with `changes`, pressing the button named `button` (its value). */
  submit(page: Page, changes: Record<string, string> = {}, o: { index?: number; button?: string } = {}): Promise<Page> {
    const form = formsOf(page)[o.index ?? 0];
    if (!form) throw new Error(`FormBrowser: no form on ${page.url} (${page.status}): ${page.text.slice(0, 300)}`);
    const fields = { ...form.fields, ...changes };
    const pressed = o.button === undefined ? form.buttons[0] : form.buttons.find((b) => b.value === o.button || b.text === o.button);
    if (pressed?.name) fields[pressed.name] = pressed.value;
    const origin = new URL(page.url).origin;
    if (form.method === 'POST') return this.go(form.action, { method: 'POST', form: fields, headers: { origin } });
    const url = new URL(form.action);
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
    return this.go(url.href);
  }
}
