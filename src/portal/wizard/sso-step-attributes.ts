import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import { defineElement } from '../define.js';
import { textField } from '../ui/field.js';
import { SsoStepElement } from './step-element.js';

/**
 * Step 4: which attribute (SAML) or claim (OIDC) carries each part of the user's profile.
 *
 * @tagname sso-step-attributes
 * @summary Attribute mapping.
 */
export class SsoStepAttributes extends SsoStepElement {
  @property({ attribute: false }) provider?: ProviderDefinition;

  override render() {
    const m = this.draft.attributeMapping;
    const kind = this.draft.protocol === 'oidc' ? 'claim' : 'attribute';
    const name = this.provider?.name ?? 'your identity provider';
    const set = (key: keyof typeof m) => (value: string) => this.change((d) => ({ ...d, attributeMapping: { ...d.attributeMapping, [key]: value } }));
    return html`
      <h3 id="step-heading" tabindex="-1">Which ${kind}s does ${name} send?</h3>
      <p class="lead">
        We filled in the names ${name} uses by default. Change them only if you set up different ones. The test login
        in the next step shows everything that really arrives, so you can correct these then.
      </p>
      ${textField({
        id: 'attr-email',
        label: 'Email address',
        required: true,
        mono: true,
        value: m.email,
        onInput: set('email'),
        hint: `Required. Users are matched to their account by this email, and their domain routes them to this connection.`,
        error: this.issueFor('attributeMapping.email'),
      })}
      ${textField({ id: 'attr-first-name', label: 'First name', mono: true, value: m.firstName, onInput: set('firstName'), hint: 'Optional. Shown in the application.' })}
      ${textField({ id: 'attr-last-name', label: 'Last name', mono: true, value: m.lastName, onInput: set('lastName'), hint: 'Optional. Shown in the application.' })}
      ${textField({
        id: 'attr-groups',
        label: 'Groups',
        mono: true,
        value: m.groups,
        onInput: set('groups'),
        hint: `Optional. Lets the application give roles by group. Leave empty if ${name} does not send groups.`,
      })}
    `;
  }
}

defineElement('sso-step-attributes', SsoStepAttributes);

declare global {
  interface HTMLElementTagNameMap {
    'sso-step-attributes': SsoStepAttributes;
  }
}
