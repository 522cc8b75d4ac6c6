/**
 * `npm start [-- --demo]`: the desktop app when this machine has the Electron runtime,
 * else web mode (the same app in the browser) with one line saying why.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureElectronNativeBinding, findElectronRuntime, repoRoot } from './electron-runtime.js';

const args = process.argv.slice(2);

function runOrExit(command: string, commandArgs: string[], what: string): void {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`${what} failed${result.error ? `: ${result.error.message}` : ` (exit code ${result.status})`}.`);
    process.exit(result.status ?? 1);
  }
}

async function webMode(): Promise<void> {
  runOrExit('npm', ['run', 'build', '--silent'], 'Building the renderer (npm run build)');
  const { serve } = await import('../src-main/http/serve.js');
  await serve(args);
}

function desktop(runtime: { executable: string; version: string }, nativeBinding: string): void {
  const electronArgs = ['.', ...args];
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    // Chromium refuses to run as root with its OS sandbox; the renderer's own sandbox stays on.
    console.log('Running as root: starting Electron with --no-sandbox.');
    electronArgs.push('--no-sandbox');
  }
  const env: NodeJS.ProcessEnv = { ...process.env, CLINIC_DESK_NATIVE_BINDING: nativeBinding };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(runtime.executable, electronArgs, { cwd: repoRoot, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(): Promise<void> {
  const runtime = findElectronRuntime();
  if (!runtime.available) {
    console.log(`Electron runtime not available on this machine (${runtime.reason}); starting web mode instead.`);
    await webMode();
    return;
  }
  runOrExit(process.execPath, [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], 'electron-vite build');
  const native = ensureElectronNativeBinding(runtime);
  if (!native.ok) {
    console.log(
      `Could not prepare better-sqlite3 for Electron ${runtime.version} (${native.reason}); starting web mode instead.`,
    );
    await webMode();
    return;
  }
  desktop(runtime, native.path);
}

main().catch((err: Error) => {
  console.error(`Clinic Desk could not start: ${err.message}`);
  process.exit(1);
});
