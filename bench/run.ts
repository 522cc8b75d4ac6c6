/**
 * `npm run bench [-- --quick] [-- --only name[,name]]`
 *
 * Runs the scenarios of bench/scenarios/index.ts one after another, prints their rows as a
 * table and writes them to bench/results.json (an array of
 * { scenario, metric, value, unit, baseline, ratio }); when, where and how the run was made
 * goes to bench/results.meta.json. Each run replaces both files.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, type Fixture } from './lib/fixtures.js';
import type { ResultRow } from './lib/result.js';
import { printTable } from './lib/table.js';
import { msSince, nowNs } from './lib/timer.js';
import { scenarios } from './scenarios/index.js';

interface Args {
  quick: boolean;
  only: string[] | null;
}

const USAGE = `usage: npm run bench -- [--quick] [--only name[,name...]]
  --quick   every scenario at reduced size (the whole run stays under a minute)
  --only    run only these scenarios: ${scenarios.map((s) => s.name).join(', ')}`;

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) throw new Error('--only needs a scenario name');
      args.only = [...(args.only ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return args;
}

function fixtureSummary(f: Fixture) {
  return {
    fixture: f.key,
    source: f.cached ? 'cache' : 'generated',
    patients: f.stats.rows.patients,
    rows: f.stats.rows.total,
    seconds: f.stats.seconds,
    rows_per_s: f.stats.rowsPerSecond,
    patients_per_s: f.stats.patientsPerSecond,
    mb: Math.round(f.stats.bytes / 1e5) / 10,
  };
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const unknown = (args.only ?? []).filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const selected = args.only ? scenarios.filter((s) => args.only!.includes(s.name)) : [...scenarios];
  const startedAt = new Date();
  const started = nowNs();
  console.log(`Clinic Desk bench — ${args.quick ? 'quick' : 'full'} run of ${selected.map((s) => s.name).join(', ')} (node ${process.version}, ${os.cpus().length} cpus)`);

  const rows: ResultRow[] = [];
  const fixtures = new Map<string, Fixture>();
  const perScenario: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const scenario of selected) {
    console.log(`\n▶ ${scenario.name}: ${scenario.summary}`);
    const t = nowNs();
    try {
      const outcome = await scenario.run({
        quick: args.quick,
        log: (line) => console.log(line),
        usedFixture: (f) => {
          // A file generated earlier in this run stays listed as generated when reused.
          if (!fixtures.has(f.key) || !f.cached) fixtures.set(f.key, f);
          console.log(`  fixture ${f.key}: ${f.cached ? 'from cache' : `generated in ${f.stats.seconds} s (${f.stats.rowsPerSecond.toLocaleString('en-US')} rows/s)`}`);
        },
      });
      rows.push(...outcome.rows);
      perScenario[scenario.name] = { seconds: Math.round(msSince(t) / 10) / 100, ...outcome.notes };
      console.log(`  done in ${(msSince(t) / 1000).toFixed(1)} s`);
    } catch (err) {
      errors[scenario.name] = (err as Error).stack ?? String(err);
      console.error(`  FAILED: ${(err as Error).message}`);
    }
  }

  const seconds = Math.round(msSince(started) / 100) / 10;
  writeFileSync(path.join(BENCH_DIR, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const meta = {
    date: startedAt.toISOString(),
    quick: args.quick,
    scenarios: selected.map((s) => s.name),
    seconds,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGb: Math.round(os.totalmem() / 1e8) / 10,
    notes: 'baseline = raw better-sqlite3 doing the equivalent work, interleaved with the app runs; ratio = value / baseline; warm OS page cache',
    fixtures: [...fixtures.values()].map((f) => ({ key: f.key, cached: f.cached, options: f.options, stats: f.stats })),
    perScenario,
    errors,
  };
  writeFileSync(path.join(BENCH_DIR, 'results.meta.json'), `${JSON.stringify(meta, null, 2)}\n`);

  console.log('');
  if (fixtures.size > 0) {
    printTable(['fixture', 'source', 'patients', 'rows', 'seconds', 'rows_per_s', 'patients_per_s', 'mb'], [...fixtures.values()].map(fixtureSummary));
    console.log('');
  }
  printTable(['scenario', 'metric', 'value', 'unit', 'baseline', 'ratio'], rows as unknown as Array<Record<string, string | number | null>>);
  console.log(`\n${rows.length} rows → bench/results.json (meta: bench/results.meta.json), ${args.quick ? 'quick' : 'full'} run in ${seconds} s`);
  if (Object.keys(errors).length > 0) {
    console.error(`failed: ${Object.keys(errors).join(', ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
