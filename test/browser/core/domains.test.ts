import { expect } from '@open-wc/testing';
import { txtRecordHelp } from '../../../src/core/domain-txt-record.js';
import { PUBLIC_EMAIL_DOMAINS, isPublicEmailDomain, normalizeDomain, type DomainInputProblem } from '../../../src/core/domains.js';

function ok(input: string): string {
  const result = normalizeDomain(input);
  if (!result.ok) throw new Error(`${JSON.stringify(input)} was refused: ${result.error.message}`);
  return result.domain;
}

function refused(input: string) {
  const result = normalizeDomain(input);
  if (result.ok) throw new Error(`${JSON.stringify(input)} was accepted as ${result.domain}`);
  return result.error;
}

describe('normalizeDomain: accepted input', () => {
  for (const [input, expected] of [
    ['megacorp.example', 'megacorp.example'],
    ['MegaCorp.Example', 'megacorp.example'],
    ['  megacorp.example  ', 'megacorp.example'],
    ['megacorp.example.', 'megacorp.example'],
    ['mail.eu.megacorp.example', 'mail.eu.megacorp.example'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['BÜCHER.example.', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['faß.de', 'xn--fa-hia.de'],
    ['ｍｅｇａｃｏｒｐ.example', 'megacorp.example'],
    ['a-b.example', 'a-b.example'],
    ['123.example', '123.example'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ] as const) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      expect(ok(input)).to.equal(expected);
    });
  }

  it('converts IDN with the URL parser in this browser, as Node does', () => {
    expect(new URL('http://bücher.example').hostname).to.equal('xn--bcher-kva.example');
  });
});

describe('normalizeDomain: refused input, in plain words', () => {
  const cases: [string, DomainInputProblem, RegExp][] = [
    ['', 'empty', /Enter a domain name/],
    ['   ', 'empty', /Enter a domain name/],
    ['https://megacorp.example', 'scheme', /Remove “https:\/\/”.*“megacorp\.example”/],
    ['https://megacorp.example/path', 'scheme', /Remove “https:\/\/” and the path/],
    ['HTTP://MEGACORP.EXAMPLE', 'scheme', /Remove “HTTP:\/\/”/],
    ['megacorp.example/path', 'path', /Remove the path “\/path”.*“megacorp\.example”/],
    ['megacorp.example?x=1', 'path', /Remove the path/],
    ['megacorp.example:8443', 'port', /Remove the port “:8443”/],
    ['user@megacorp.example', 'email', /looks like an email address: enter only the part after @, here “megacorp\.example”/],
    ['@megacorp.example', 'email', /part after @/],
    ['*.megacorp.example', 'wildcard', /Wildcards are not supported.*“megacorp\.example”/],
    ['10.0.0.1', 'ip_address', /IP address/],
    ['0x7f.1', 'ip_address', /IP address/],
    ['[::1]', 'ip_address', /IP address/],
    ['2001:db8::1', 'ip_address', /IP address/],
    ['localhost', 'single_label', /“localhost” is not a full domain name/],
    ['intranet', 'single_label', /with a dot/],
    ['a..example', 'empty_label', /two dots in a row/],
    ['.megacorp.example', 'empty_label', /starts with a dot/],
    [`${'a'.repeat(64)}.example`, 'label_too_long', /at most 63 characters/],
    [`${`${'a'.repeat(60)}.`.repeat(5)}example`, 'too_long', /at most 253 characters/],
    ['x'.repeat(5000), 'too_long', /at most 253 characters/],
    ['mega corp.example', 'characters', /no spaces/],
    ['-megacorp.example', 'characters', /start or end with a hyphen/],
    ['megacorp-.example', 'characters', /start or end with a hyphen/],
    ['mega_corp.example', 'characters', /letters, digits, hyphens and dots/],
    ['megacorp.123', 'characters', /not a valid domain name/],
    ['mega%41corp.example', 'characters', /letters, digits, hyphens and dots/],
    ['<script>alert(1)</script>.example', 'path', /Remove the path/],
  ];
  for (const [input, problem, message] of cases) {
    it(`${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}: ${problem}`, () => {
      const error = refused(input);
      expect(error.code).to.equal('domain_invalid');
      expect(error.problem).to.equal(problem);
      expect(error.message).to.match(message);
      expect(error.message.length, 'a long input is quoted shortened').to.be.below(300);
    });
  }

  for (const provider of ['gmail.com', 'GMail.com.', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'proton.me', 'gmx.de', 'qq.com']) {
    it(`${provider}: a public email provider, explained`, () => {
      const error = refused(provider);
      expect(error.code).to.equal('domain_public_email');
      expect(error.problem).to.equal('public_email');
      expect(error.message).to.contain(provider.toLowerCase().replace(/\.$/, ''));
      expect(error.message).to.match(/anyone can get an address there/);
      expect(error.message).to.match(/identity provider/);
    });
  }

  it('never throws, whatever it is given', () => {
    const inputs: unknown[] = [undefined, null, 42, {}, '\u0000', '\uD800', '💥.example', '..', '.', '-', 'a.-'];
    for (const input of inputs) {
      expect(() => normalizeDomain(input as string)).not.to.throw();
    }
  });
});

describe('public email providers', () => {
  it('lists the big ones, normalised and without duplicates', () => {
    for (const name of ['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'web.de', 'mail.com', 'yandex.ru', 'qq.com', '163.com', 'zoho.com', 'fastmail.com', 'hey.com']) {
      expect(isPublicEmailDomain(name), name).to.equal(true);
    }
    expect(new Set(PUBLIC_EMAIL_DOMAINS).size).to.equal(PUBLIC_EMAIL_DOMAINS.length);
    for (const name of PUBLIC_EMAIL_DOMAINS) expect(normalizeDomain(name), name).to.deep.include({ ok: false });
    expect(isPublicEmailDomain('megacorp.example')).to.equal(false);
    expect(isPublicEmailDomain('mail.gmail.com'), 'only the provider’s own domain').to.equal(false);
  });
});

describe('txtRecordHelp', () => {
  it('gives the full name, the name relative to the domain, and the value', () => {
    expect(txtRecordHelp({ name: 'megacorp.example', txtRecord: { name: '_sso-verification.megacorp.example', value: 'sso-verification=abc' } })).to.deep.equal({
      type: 'TXT',
      name: '_sso-verification.megacorp.example',
      host: '_sso-verification',
      value: 'sso-verification=abc',
    });
  });

  it('uses @ for a record on the domain itself, and the full name when it lives elsewhere', () => {
    expect(txtRecordHelp({ name: 'megacorp.example', txtRecord: { name: 'megacorp.example.', value: 'v' } }).host).to.equal('@');
    expect(txtRecordHelp({ name: 'megacorp.example', txtRecord: { name: '_verify.other.example', value: 'v' } }).host).to.equal('_verify.other.example');
  });
});
