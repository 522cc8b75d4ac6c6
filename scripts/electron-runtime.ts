/**
 * Development helpers for the Electron shell, shared by `npm start` and the Electron e2e
 * test: is the Electron binary on this machine, and a better-sqlite3 addon built for
 * Electron's ABI (kept apart from node_modules/better-sqlite3, which tests use under Node).
 * Never imports 'electron' (that would try to download the binary).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type ElectronRuntime =
  | { available: true; executable: string; version: string }
  | { available: false; reason: string };

/** The Electron binary is present when node_modules/electron/path.txt names a file under dist/. */
export function findElectronRuntime(root: string = repoRoot): ElectronRuntime {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  const pkgFile = path.join(pkgDir, 'package.json');
  if (!existsSync(pkgFile)) return { available: false, reason: 'the electron package is not installed' };
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { available: false, reason: `the Electron ${version} binary was never downloaded: node_modules/electron/path.txt is missing` };
  }
  const executable = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) {
    return { available: false, reason: `${path.relative(root, executable)} is missing` };
  }
  return { available: true, executable, version };
}

/** Where the Electron build of better-sqlite3 is kept (node_modules/.cache is ignored by git). */
export function electronNativeBindingPath(version: string, root: string = repoRoot): string {
  return path.join(
    root,
    'node_modules',
    '.cache',
    'clinic-desk',
    `electron-${version}-${process.platform}-${process.arch}`,
    'better_sqlite3.node',
  );
}

/** Environment for the native build: without npm's nodedir/target settings (they point at Node's headers). */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|build_from_source)$/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** Loads the addon inside Electron-as-Node: proves the ABI matches (build tools have reported false successes). */
function loadsInElectron(runtime: { executable: string }, addon: string): { ok: boolean; detail: string } {
  const result = spawnSync(runtime.executable, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(addon)})`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const detail = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim().split('\n')[0] ?? '';
  return { ok: result.status === 0, detail };
}

export type NativeBindingResult = { ok: true; path: string; built: boolean } | { ok: false; reason: string };

/**
 * Returns a better_sqlite3.node built for this Electron, building it on first use: a
 * prebuilt download (prebuild-install) or else node-gyp against Electron's headers. Both
 * need the internet once; the result is cached under node_modules/.cache/clinic-desk.
 */
export function ensureElectronNativeBinding(
  runtime: { executable: string; version: string },
  options: { root?: string; log?: (line: string) => void } = {},
): NativeBindingResult {
  const root = options.root ?? repoRoot;
  const log = options.log ?? ((line: string) => console.log(line));
  const target = electronNativeBindingPath(runtime.version, root);
  if (existsSync(target) && loadsInElectron(runtime, target).ok) return { ok: true, path: target, built: false };

  const source = path.join(root, 'node_modules', 'better-sqlite3');
  if (!existsSync(path.join(source, 'package.json'))) return { ok: false, reason: 'node_modules/better-sqlite3 is not installed' };
  const work = path.join(path.dirname(target), 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.dirname(work), { recursive: true });
  cpSync(source, work, { recursive: true, filter: (p) => path.relative(source, p).split(path.sep)[0] !== 'build' });

  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  const run = (script: string, args: string[]) => {
    const opts: SpawnSyncOptions = { cwd: work, env: buildEnv(), stdio: 'inherit', timeout: 15 * 60_000 };
    return spawnSync(process.execPath, [script, ...args], opts).status === 0 && existsSync(built);
  };

  log(`Preparing better-sqlite3 for Electron ${runtime.version} (first run only)…`);
  const prebuildInstall = path.join(root, 'node_modules', 'prebuild-install', 'bin.js');
  let ok =
    existsSync(prebuildInstall) &&
    run(prebuildInstall, ['--runtime', 'electron', '--target', runtime.version, '--arch', process.arch, '--platform', process.platform]);
  if (!ok) {
    log('No prebuilt addon could be downloaded; compiling it against Electron’s headers with node-gyp…');
    const nodeGyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    ok =
      existsSync(nodeGyp) &&
      run(nodeGyp, [
        'rebuild',
        '--release',
        `--target=${runtime.version}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ]);
  }
  if (!ok) {
    return {
      ok: false,
      reason: 'neither a prebuilt download nor a node-gyp build against Electron’s headers succeeded (both need the internet once)',
    };
  }
  const check = loadsInElectron(runtime, built);
  if (!check.ok) return { ok: false, reason: `the built addon does not load in Electron ${runtime.version}: ${check.detail}` };
  copyFileSync(built, target);
  rmSync(work, { recursive: true, force: true });
  return { ok: true, path: target, built: true };
}
