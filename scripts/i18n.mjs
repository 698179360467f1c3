#!/usr/bin/env node
// The portal's catalogues (docs/i18n.md).
//
//   npm run i18n            extract every msg() into xliff/*.xlf (translations kept), write the
//                           pseudo-locale's translations, and build src/portal/localize/generated/
//   npm run i18n -- --check the same into a temporary folder, and fail when the committed files
//                           differ from it or a locale misses a translation
//
// It drives @lit/localize-tools' own classes (what `lit-localize extract` and `build` run) with
// one TypeScript program for both steps, which halves the time of running the two commands.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';
import { extractMessagesFromProgram } from '@lit/localize-tools/lib/program-analysis.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PSEUDO = 'en-XA';
/** Where the messages only the server's pages use go (see `splitServerMessages`). */
const SERVER_OUTPUT = 'src/server/localize/generated';

// The pseudo-locale: every letter accented and each message 30% longer, in brackets, so a test
// sees English that escaped the catalogues, and a layout sees longer text (issue 16). The padding
// comes as words of at most 12 dots, as long as a long German word: a layout must wrap text, not
// fit one unbreakable run of 60 dots.
const ACCENTED = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]]),
);
const accent = (text) => text.replace(/[a-zA-Z]/g, (c) => ACCENTED[c]);

/** A message's contents (text and placeholders) in the pseudo-locale. */
export function pseudoContents(contents) {
  const letters = contents.filter((part) => typeof part === 'string').join('').replace(/\s+/g, ' ').trim().length;
  const padding = '·'.repeat(Math.ceil(letters * 0.3)).replace(/·{12}(?=·)/g, '$& ');
  return ['[', ...contents.map((part) => (typeof part === 'string' ? accent(part) : part)), padding ? ` ${padding}]` : ']'];
}

/**
 * The catalogues take `html` from `lit/html.js`, not `lit`: the same function, but importing the
 * `lit` index from a lazy chunk made the CDN build split Lit out of the portal's entry into a
 * file of its own, +0.7 kB on the initial load (issue 12's budget).
 */
function postProcess(outputDir) {
  for (const name of readdirSync(outputDir)) {
    const file = join(outputDir, name);
    const code = readFileSync(file, 'utf8');
    const fixed = code
      .replace("import {html} from 'lit';", "import {html} from 'lit/html.js';")
      // lit-localize escapes &, < and > as for HTML in every message; a plain string (no `html` tag)
      // is shown as text, so it would read "Settings &gt; Security". Such messages get them back.
      .replace(/^('[^']+': )((?:str)?`.*`,)$/gm, (_, key, text) => key + text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    if (fixed !== code) writeFileSync(file, fixed);
  }
}

/** The ids of the messages some file outside src/server/ has: what the portal's catalogues must carry. */
function portalMessageNames(localizer) {
  const serverDir = join(root, 'src', 'server') + sep;
  const program = localizer.program;
  const portalProgram = Object.create(program);
  portalProgram.getSourceFiles = () => program.getSourceFiles().filter((file) => !resolve(file.fileName).startsWith(serverDir));
  return new Set(extractMessagesFromProgram(portalProgram).messages.map((m) => m.name));
}

/**
 * Moves the messages only the server's pages use (the simulators, the login and result pages)
 * out of the portal's catalogues, which a browser downloads, into `serverDir` (the same file
 * names and shape), which `src/server/page-language.ts` merges in. A message both use stays in
 * the portal's. Each catalogue is one `'id': text,` line per message.
 */
function splitServerMessages(outputDir, serverDir, portalNames) {
  mkdirSync(serverDir, { recursive: true });
  for (const name of readdirSync(outputDir).filter((n) => n !== 'locale-codes.ts')) {
    const lines = readFileSync(join(outputDir, name), 'utf8').split('\n');
    const isMessage = (line) => /^\s*'[^']+': /.test(line);
    const serverOnly = (line) => isMessage(line) && !portalNames.has(/'([^']+)'/.exec(line)[1]);
    writeFileSync(join(outputDir, name), lines.filter((line) => !serverOnly(line)).join('\n'));
    writeFileSync(join(serverDir, name), lines.filter((line) => !isMessage(line) || serverOnly(line)).join('\n'));
  }
}

/** Extracts, writes the XLIFF files (with the pseudo-locale's translations) and builds. Locale → ids of untranslated messages. */
async function run(config, serverOutputDir = join(root, SERVER_OUTPUT)) {
  const localizer = new RuntimeLitLocalizer(config);
  const { messages, errors } = localizer.extractSourceMessages();
  if (errors.length) throw new Error(`lit-localize could not read the source:\n${errors.map((e) => e.messageText ?? String(e)).join('\n')}`);
  const { translations } = localizer.readTranslationsSync();
  translations.set(PSEUDO, messages.map(({ name, contents }) => ({ name, contents: pseudoContents(contents) })));
  await localizer.writeInterchangeFiles();
  const { errors: invalid } = localizer.validateTranslations();
  if (invalid.length) throw new Error(`Translations whose placeholders differ from the English:\n${invalid.join('\n')}`);
  // Its build warns once per missing translation; the summary below says the same in one line per language.
  const warn = console.warn;
  console.warn = () => {};
  try {
    await localizer.build();
  } finally {
    console.warn = warn;
  }
  postProcess(config.resolve(config.output.outputDir));
  splitServerMessages(config.resolve(config.output.outputDir), serverOutputDir, portalMessageNames(localizer));
  const missing = {};
  for (const locale of config.targetLocales) {
    const translated = new Set((translations.get(locale) ?? []).map((m) => m.name));
    const ids = messages.map((m) => m.name).filter((id) => !translated.has(id));
    if (ids.length) missing[locale] = ids;
  }
  return { messages, missing };
}

const files = (dir) => (existsSync(dir) ? readdirSync(dir).sort() : []);

async function check(config) {
  const scratch = mkdtempSync(join(tmpdir(), 'sso-i18n-'));
  try {
    const xliffDir = join(scratch, 'xliff');
    const outputDir = join(scratch, 'generated');
    const serverOutputDir = join(scratch, 'server-generated');
    cpSync(config.resolve(config.interchange.xliffDir), xliffDir, { recursive: true });
    const { messages, missing } = await run({
      ...config,
      output: { ...config.output, outputDir, localeCodesModule: join(outputDir, 'locale-codes.ts') },
      interchange: { ...config.interchange, xliffDir },
    }, serverOutputDir);
    const problems = [];
    for (const [mine, theirs] of [
      [config.resolve(config.interchange.xliffDir), xliffDir],
      [config.resolve(config.output.outputDir), outputDir],
      [join(root, SERVER_OUTPUT), serverOutputDir],
    ]) {
      for (const name of new Set([...files(mine), ...files(theirs)])) {
        const a = existsSync(join(mine, name)) ? readFileSync(join(mine, name), 'utf8') : undefined;
        const b = existsSync(join(theirs, name)) ? readFileSync(join(theirs, name), 'utf8') : undefined;
        if (a !== b) problems.push(`${relative(root, join(mine, name))} is out of date`);
      }
    }
    for (const [locale, ids] of Object.entries(missing)) problems.push(`${locale}: ${ids.length} message(s) without a translation, e.g. ${ids.slice(0, 3).join(', ')}`);
    if (problems.length) {
      console.error(`The catalogues are not up to date (run \`npm run i18n\`, then translate what is missing in xliff/):\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
      return;
    }
    console.log(`Catalogues up to date: ${messages.length} messages, ${config.targetLocales.length} locales, every message translated.`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = readConfigFileAndWriteSchema(join(root, 'lit-localize.json'));
  if (process.argv.includes('--check')) await check(config);
  else {
    const { messages, missing } = await run(config);
    console.log(`${messages.length} messages.`);
    for (const [locale, ids] of Object.entries(missing)) console.log(`${locale}: ${ids.length} message(s) to translate in xliff/${locale}.xlf`);
    if (!Object.keys(missing).length) console.log('Every message is translated.');
  }
}
