import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
// Registers <sso-admin-portal>; CUSTOM_ELEMENTS_SCHEMA lets the template use it and bind its properties.
import { MemoryAdapter, type SsoConnectionSavedEvent } from 'sso-admin-portal';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Single sign-on (Angular)</h1>
      <label>
        Language
        <select id="locale" (change)="locale.set(select.value)" #select>
          @for (option of locales; track option[0]) {
            <option [value]="option[0]" [selected]="option[0] === locale()">{{ option[1] }}</option>
          }
        </select>
      </label>
      <p id="saved" role="status">{{ saved() && 'Saved: ' + saved() }}</p>
      <sso-admin-portal [adapter]="adapter" [locale]="locale()" (sso-connection-saved)="onSaved($event)"></sso-admin-portal>
    </main>
  `,
})
export class App {
  // An in-browser backend with simulated logins; a real app passes apiBase and token instead.
  protected readonly adapter = new MemoryAdapter();
  protected readonly locales = Object.entries({ en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español', ja: '日本語', ar: 'العربية' });
  protected readonly locale = signal('en');
  protected readonly saved = signal('');

  protected onSaved(event: SsoConnectionSavedEvent) {
    this.saved.set(event.connection.name ?? event.connection.providerId);
  }
}
