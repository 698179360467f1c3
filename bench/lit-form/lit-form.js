// The bare Lit baseline of `npm run bench`: a LitElement with a form of 11 labelled inputs, the
// least a Lit element rendering a form costs (no data, no routing, no validation library).
import { LitElement, css, html } from 'lit';

const FIELDS = [
  ['name', 'Connection name', 'text'],
  ['description', 'Description', 'text'],
  ['tenant', 'Tenant', 'text'],
  ['product', 'Product', 'text'],
  ['redirect-url', 'Allowed redirect URL', 'url'],
  ['default-redirect-url', 'Default redirect URL', 'url'],
  ['metadata-url', 'Metadata URL', 'url'],
  ['entity-id', 'IdP entity ID', 'text'],
  ['sso-url', 'SSO URL', 'url'],
  ['email-attribute', 'Email attribute', 'text'],
  ['admin-email', 'Admin contact email', 'email'],
];

class BenchLitForm extends LitElement {
  static properties = { values: { state: true } };

  static styles = css`
    form {
      display: grid;
      gap: 12px;
      max-width: 40rem;
      font: 14px/1.4 system-ui, sans-serif;
    }
    label {
      display: grid;
      gap: 4px;
    }
    input {
      padding: 6px 8px;
      border: 1px solid #8a8f98;
      border-radius: 4px;
      font: inherit;
    }
  `;

  constructor() {
    super();
    this.values = {};
  }

  render() {
    return html`<form @submit=${this.submit}>
      <h2>Set up SSO</h2>
      ${FIELDS.map(
        ([id, label, type]) => html`<label for=${id}
          >${label}<input id=${id} name=${id} type=${type} .value=${this.values[id] ?? ''} @input=${(e) => this.edit(id, e.target.value)}
        /></label>`,
      )}
      <button type="submit">Save</button>
    </form>`;
  }

  edit(id, value) {
    this.values = { ...this.values, [id]: value };
  }

  submit(event) {
    event.preventDefault();
  }
}

customElements.define('bench-lit-form', BenchLitForm);
