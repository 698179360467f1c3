import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { ProviderDefinition } from '../../core/providers/types.js';
import { defineElement } from '../define.js';
import { textField } from '../ui/field.js';
import { msg, str } from '../localize/msg.js';
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
    const oidc = this.draft.protocol === 'oidc';
    const name = this.provider?.name;
    const set = (key: keyof typeof m) => (value: string) => this.change((d) => ({ ...d, attributeMapping: { ...d.attributeMapping, [key]: value } }));
    return html`
      <h3 id="step-heading" tabindex="-1">${name
        ? oidc
          ? msg(str`Which claims does ${name} send?`)
          : msg(str`Which attributes does ${name} send?`)
        : oidc
          ? msg('Which claims does your identity provider send?')
          : msg('Which attributes does your identity provider send?')}</h3>
      <p class="lead">
        ${name
          ? msg(str`We filled in the names ${name} uses by default. Change them only if you set up different ones. The test login in the next step shows everything that really arrives, so you can correct these then.`)
          : msg('We filled in the names your identity provider uses by default. Change them only if you set up different ones. The test login in the next step shows everything that really arrives, so you can correct these then.')}
      </p>
      ${textField({
        id: 'attr-email',
        label: msg('Email address'),
        required: true,
        mono: true,
        value: m.email,
        onInput: set('email'),
        hint: msg('Required. Users are matched to their account by this email, and their domain routes them to this connection.'),
        error: this.issueFor('attributeMapping.email'),
      })}
      ${textField({ id: 'attr-first-name', label: msg('First name'), mono: true, value: m.firstName, onInput: set('firstName'), hint: msg('Optional. Shown in the application.') })}
      ${textField({ id: 'attr-last-name', label: msg('Last name'), mono: true, value: m.lastName, onInput: set('lastName'), hint: msg('Optional. Shown in the application.') })}
      ${textField({
        id: 'attr-groups',
        label: msg('Groups'),
        mono: true,
        value: m.groups,
        onInput: set('groups'),
        hint: name ? msg(str`Optional. Lets the application give roles by group. Leave empty if ${name} does not send groups.`) : msg('Optional. Lets the application give roles by group. Leave empty if your identity provider does not send groups.'),
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
