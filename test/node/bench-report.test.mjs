// `npm run bench`'s bookkeeping (scripts/bench-report.mjs, scripts/bench-pages.mjs options): its
// arguments, the medians of the page samples, the table with each target marked met or
// not (a missed target is a figure, never an error), the JSON file of a run and the comparison
// with an earlier one. No browser and no build: the page bench itself is run by `npm run bench`.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pageOptionsFromEnv } from '../../scripts/bench-pages.mjs';
import { machine, median, parseBenchArgs, printPageTable, readRun, rows, summarize, writeRun } from '../../scripts/bench-report.mjs';

const files = (gzip, count = 1) => ({ files: count, raw: gzip * 3, gzip, list: [{ path: '/x.js', raw: gzip * 3, gzip }] });

/** Samples as benchPages collects them: per page, a list of rounds, each a list of loads. */
function samples({ paint = 300, lit = 200, react = 260, heap = 4_800_000, reactHeap = 2_100_000, flowGzip = 172_000, initialGzip = 40_500, readXml = 250, warm = 70, interactive = true } = {}) {
  const round = (make) => [[make(0), make(1), make(2)], [make(3), make(4), make(5)]];
  // Runs before the server-rendered overview (issue 12) had no interactive time nor HTML size.
  const later = (ms, html) => (interactive ? { interactiveMs: ms, htmlGzip: html } : {});
  return {
    portal: round((i) => ({ paintMs: paint + i, ...later(paint + 100 + i, 5_000), initial: files(initialGzip, 8) })),
    lit: round((i) => ({ paintMs: lit + i, ...later(lit + i, 300), initial: files(6_900), fields: 11, heap: 1_500_000, all: files(6_900) })),
    react: round((i) => ({ paintMs: react + i, ...later(react + i, 400), initial: files(57_800, 2), fields: 11, heap: reactHeap, all: files(57_800, 2) })),
    flow: round((i) => ({ readXmlMs: readXml + i, wizardColdMs: 150, wizardWarmMs: warm, heap, bytes: files(flowGzip, 17) })),
  };
}

/** Captures what `fn` prints with console.log. */
function printed(fn) {
  const lines = [];
  const log = console.log;
  console.log = (...args) => lines.push(args.join(' '));
  try {
    fn();
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

describe('npm run bench: arguments and options', () => {
  it('`pages` or BENCH_ONLY=pages runs the page part only; --compare or BENCH_COMPARE names an earlier run', () => {
    assert.deepEqual(parseBenchArgs([], {}), { pagesOnly: false, compare: undefined });
    assert.deepEqual(parseBenchArgs(['pages'], {}), { pagesOnly: true, compare: undefined });
    assert.deepEqual(parseBenchArgs([], { BENCH_ONLY: 'pages' }), { pagesOnly: true, compare: undefined });
    assert.deepEqual(parseBenchArgs(['--compare', 'a.json', 'pages'], {}), { pagesOnly: true, compare: 'a.json' });
    assert.deepEqual(parseBenchArgs(['--compare=b.json'], {}), { pagesOnly: false, compare: 'b.json' });
    assert.deepEqual(parseBenchArgs([], { BENCH_COMPARE: 'c.json' }), { pagesOnly: false, compare: 'c.json' });
  });

  it('refuses what it does not know, saying what it takes', () => {
    assert.throws(() => parseBenchArgs(['page'], {}), /Unknown argument page: use `pages` and\/or `--compare <file.json>`/);
    assert.throws(() => parseBenchArgs(['--compare'], {}), /--compare needs the JSON file of an earlier run/);
    assert.throws(() => parseBenchArgs([], { BENCH_ONLY: 'xml' }), /BENCH_ONLY can only be "pages", not xml/);
  });

  it('loads and rounds default to the issue\'s 15 x 4, the flows to the loads; each can be set, and must be a whole number of at least 1', () => {
    assert.deepEqual(pageOptionsFromEnv({}), { loads: 15, rounds: 4, flows: 15 });
    assert.deepEqual(pageOptionsFromEnv({ BENCH_LOADS: '3', BENCH_ROUNDS: '2' }), { loads: 3, rounds: 2, flows: 3 });
    assert.deepEqual(pageOptionsFromEnv({ BENCH_LOADS: '3', BENCH_FLOWS: '1' }), { loads: 3, rounds: 4, flows: 1 });
    for (const bad of ['0', '-1', '2.5', 'many']) {
      assert.throws(() => pageOptionsFromEnv({ BENCH_ROUNDS: bad }), new RegExp(`BENCH_ROUNDS must be a whole number of at least 1, not ${bad}`));
    }
  });
});

describe('npm run bench: figures and the table', () => {
  it('medians: the middle value, the mean of the two middle ones, NaN of nothing', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('summarizes every sample and each round, and keeps the bytes of the median load, with their range when loads differed', () => {
    const s = samples();
    s.portal[1][2].initial = files(46_000, 9);
    const p = summarize(s);
    assert.equal(p.portal.paintMs.median, 302.5);
    assert.deepEqual(p.portal.paintMs.rounds, [301, 304]);
    assert.equal(p.portal.paintMs.n, 6);
    assert.deepEqual(p.portal.paintMs.values, [[300, 301, 302], [303, 304, 305]]);
    assert.equal(p.portal.initial.gzip, 40_500);
    assert.equal(p.portal.initial.varies, true);
    assert.deepEqual(p.portal.initial.range, { gzip: [40_500, 46_000], files: [8, 9] });
    assert.equal(p.flow.bytes.varies, false);
    assert.equal(p.react.heap.median, 2_100_000);
    assert.equal(p.lit.fields, 11);
    assert.equal(p.portal.heap, undefined, 'the overview loads read no heap');
  });

  it('the issue\'s figures miss every target: the rows only mark them so (no error)', () => {
    const table = rows(summarize(samples()), { initial: { files: ['a.js', 'b.js', 'c.js'], gzip: 42_410 } });
    const met = Object.fromEntries(table.map((r) => [r.key, r.met]));
    assert.deepEqual(met, {
      flowBytes: false,
      directoryBytes: undefined,
      initialStatic: false,
      initialBytes: undefined,
      overviewPaint: false,
      overviewInteractive: undefined,
      htmlBytes: undefined,
      readXml: false,
      wizardWarm: false,
      wizardCold: undefined,
      heap: false,
    });
    const interactive = table.find((r) => r.key === 'overviewInteractive');
    assert.equal(interactive.now, '403 ms (rounds 401–404)');
    assert.equal(interactive.ratio, '1.99x Lit; 1.53x React');
    assert.equal(table.find((r) => r.key === 'htmlBytes').baseline, 'bare Lit 0.3 kB; React peer 0.4 kB');
    // An earlier run's samples, without them: no such rows, no error.
    assert.deepEqual(
      rows(summarize(samples({ interactive: false }))).filter((r) => r.key === 'overviewInteractive' || r.key === 'htmlBytes'),
      [],
    );
    // Samples of runs before directory sync have no directory chunks: the row says 0, not an error.
    assert.equal(table.find((r) => r.key === 'directoryBytes').now, '0.0 kB (0 files)');
    assert.equal(table.find((r) => r.key === 'initialStatic').now, '42.4 kB (3 files)');
    const flow = table.find((r) => r.key === 'flowBytes');
    assert.equal(flow.now, '172.0 kB (17 files)');
    assert.equal(flow.baseline, 'React peer 57.8 kB (2 files)');
    assert.equal(flow.ratio, '2.98x');
    assert.equal(table.find((r) => r.key === 'heap').ratio, '2.29x React');
  });

  it('figures within the targets are marked met', () => {
    const table = rows(summarize(samples({ paint: 250, lit: 200, heap: 3_000_000, flowGzip: 59_000, initialGzip: 19_500, readXml: 90, warm: 50 })), { initial: { files: ['a.js'], gzip: 19_900 } });
    assert.equal(table.find((r) => r.key === 'initialStatic').met, true);
    assert.deepEqual(
      table.filter((r) => r.met !== undefined && !r.met).map((r) => r.key),
      [],
    );
  });

  it('prints the table; with an earlier run, its figures in a column beside the new ones', () => {
    const now = summarize(samples({ flowGzip: 59_000 }));
    const alone = printed(() => printPageTable(now, undefined, { initial: { files: ['a.js', 'b.js'], gzip: 19_810 } }));
    assert.match(alone, /\| CDN initial load: entry \+ static imports \(gzip\) +\| 19\.8 kB \(2 files\) +\| bare Lit [^|]+\| [0-9.]+x +\| ≤ 20 kB +\| met +\|/);
    assert.match(alone, /\| JS\+CSS requested before the overview painted, hosted page \(gzip\) +\| 40\.5 kB [^|]+\| bare Lit [^|]+\| [0-9.]+x +\| +\| +\|/);
    assert.match(alone, /^\| what +\| now +\| baseline \(same run\) +\| ratio +\| target +\| +\|$/m);
    assert.match(alone, /\| JS\+CSS a complete admin flow transfers \(gzip\) +\| 59\.0 kB \(17 files\) +\| React peer 57\.8 kB \(2 files\) +\| 1\.02x +\| ≤ 60 kB +\| met +\|/);
    assert.match(alone, /\| HTML to overview painted +\| 303 ms \(rounds 301–304\) +\| bare Lit 203 ms \(rounds 201–204\); React peer 263 ms \(rounds 261–264\) +\| 1\.49x Lit; 1\.15x React +\| ≤ 1\.3x bare Lit +\| NOT met +\|/);
    const compared = printed(() => printPageTable(now, { machine: {}, pages: summarize(samples()) }));
    assert.match(compared, /^\| what +\| now +\| previous run +\| baseline \(same run\) +\|/m);
    assert.match(compared, /\| JS\+CSS a complete admin flow transfers \(gzip\) +\| 59\.0 kB \(17 files\) +\| 172\.0 kB \(17 files\) +\| React peer/);
  });
});

describe('npm run bench: the JSON file of a run', () => {
  it('writes bench-<date>.json and latest.json, which --compare reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    try {
      const run = { machine: machine('156.0.0.0'), pages: summarize(samples()), errors: [] };
      assert.equal(run.machine.chromium, '156.0.0.0');
      assert.ok(run.machine.cores >= 1);
      assert.equal(run.machine.node, process.version);
      assert.match(run.machine.git.commit ?? '', /^[0-9a-f]{40}$/);
      const file = writeRun(run, dir);
      assert.match(file, /bench-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/);
      assert.deepEqual(readRun(file), JSON.parse(JSON.stringify(run)));
      assert.equal(await readFile(join(dir, 'latest.json'), 'utf8'), await readFile(file, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--compare with a file that is not a run says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
    try {
      assert.throws(() => readRun(join(dir, 'missing.json')), /--compare .*missing\.json: cannot read it as a bench run \(ENOENT/);
      await writeFile(join(dir, 'other.json'), '{"name": "not a run"}');
      assert.throws(() => readRun(join(dir, 'other.json')), /not a bench run's JSON \(no "machine"\)/);
      await writeFile(join(dir, 'broken.json'), '{');
      assert.throws(() => readRun(join(dir, 'broken.json')), /cannot read it as a bench run/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
