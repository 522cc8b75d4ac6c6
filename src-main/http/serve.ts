/**
 * Web mode: `npm run serve [-- --demo] [-- --port N]`. One Node process serves the built
 * renderer and the HTTP API. Data lives in CLINIC_DESK_DATA_DIR (default: the platform's
 * per-user data directory).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp } from '../app.js';
import { buildServer } from './server.js';
import { defaultDataDir } from './data-dir.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function serve(argv: string[] = process.argv.slice(2)): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const host = arg('--host') ?? process.env.HOST ?? '127.0.0.1';
  const port = Number(arg('--port') ?? process.env.PORT ?? 8787);
  const dataDir = path.resolve(arg('--data-dir') ?? process.env.CLINIC_DESK_DATA_DIR ?? defaultDataDir());
  const app = await openApp({ dataDir });

  if (argv.includes('--demo')) {
    const status = await app.dispatch('setup/status', {});
    if (status.result.ok && (status.result.data as { needsSetup: boolean }).needsSetup) {
      const demo = await app.dispatch('setup/load-demo', {});
      if (demo.result.ok) {
        console.log('Loaded the demo clinic. Demo accounts:');
        for (const a of (demo.result.data as { accounts: Array<{ username: string; password: string; role: string }> }).accounts) {
          console.log(`  ${a.role.padEnd(13)} ${a.username} / ${a.password}`);
        }
      }
    } else {
      console.log('This data directory already holds a clinic; --demo only fills a new one.');
    }
  }

  // Requests must be addressed to this desk's own names (DNS-rebinding protection).
  const allowedHosts = [host, ...(process.env.CLINIC_DESK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean)];
  const server = await buildServer(app, { staticDir: path.join(root, 'dist', 'renderer'), allowedHosts });
  await server.listen({ host, port });
  console.log(`Clinic Desk (web mode) is running at http://${host}:${port}/  — data: ${app.dbFile}`);

  const stop = async () => {
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serve().catch((err: Error) => {
    console.error(`Clinic Desk could not start: ${err.message}`);
    process.exit(1);
  });
}
