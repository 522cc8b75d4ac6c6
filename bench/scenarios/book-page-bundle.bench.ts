/**
 * book-page-bundle: the JavaScript the patient booking page (/book) loads, gzipped, from the
 * real build output (issue 14: at most 150 kB).
 *
 * The scenario runs `vite build --config vite.renderer.config.ts` (the same as `npm run build`),
 * then reads dist/renderer/book/index.html: its module script and every modulepreload link are
 * the page's JavaScript (Vite lists all static imports there; the page has no dynamic imports).
 * Each file is gzipped with zlib (level 9, as a server's static compression would) and summed.
 *
 * Baseline: the floor for a React page, a one-line `createRoot().render(<h1>)` built by Vite
 * in the same run with the same React — so the ratio says how much the page adds to React
 * itself. The staff app's own bundle is in the notes for scale. The scenario fails if the page
 * loads any staff code (MUI's class names, which every staff screen carries).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { row } from '../lib/result.js';
import { scratchDir, type Scenario } from '../lib/scenario.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The JS files an HTML page of the build loads (module scripts and modulepreloads), as paths. */
export function scriptsOf(htmlFile: string): string[] {
  const html = readFileSync(htmlFile, 'utf8');
  const refs = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set(refs)].map((ref) => path.resolve(path.dirname(htmlFile), ref));
}

export const bookPageBundle: Scenario = {
  name: 'book-page-bundle',
  summary: 'the /book page’s JavaScript, gzipped, from the build output (≤ 150 kB) vs a bare React page',
  async run({ log }) {
    log('book-page-bundle: building the renderer (vite build)');
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
    const dist = path.join(ROOT, 'dist', 'renderer');
    const scripts = scriptsOf(path.join(dist, 'book', 'index.html'));
    if (!scripts.length) throw new Error('book-page-bundle: no script in dist/renderer/book/index.html');
    for (const file of scripts) if (/Mui[A-Z]/.test(readFileSync(file, 'utf8'))) throw new Error(`book-page-bundle: ${path.basename(file)} carries staff (MUI) code`);
    const bytes = scripts.reduce((sum, f) => sum + gz(f), 0);
    const staffBytes = scriptsOf(path.join(dist, 'index.html')).reduce((sum, f) => sum + gz(f), 0);

    // The baseline: a bare React page, built the same way.
    const scratch = scratchDir('book-page-bundle');
    try {
      mkdirSync(path.join(scratch.dir, 'src'), { recursive: true });
      writeFileSync(path.join(scratch.dir, 'src', 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="./main.js"></script>');
      writeFileSync(
        path.join(scratch.dir, 'src', 'main.js'),
        "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('h1', null, 'Book an appointment'));\n",
      );
      writeFileSync(
        path.join(scratch.dir, 'vite.config.mjs'),
        `export default { root: ${JSON.stringify(path.join(scratch.dir, 'src'))}, base: './', logLevel: 'error', resolve: { alias: { react: ${JSON.stringify(path.join(ROOT, 'node_modules', 'react'))}, 'react-dom': ${JSON.stringify(path.join(ROOT, 'node_modules', 'react-dom'))} } }, build: { outDir: ${JSON.stringify(path.join(scratch.dir, 'out'))}, emptyOutDir: true } };\n`,
      );
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(scratch.dir, 'vite.config.mjs')], { cwd: ROOT, stdio: 'inherit' });
      const baseline = scriptsOf(path.join(scratch.dir, 'out', 'index.html')).reduce((sum, f) => sum + gz(f), 0);
      log(`book-page-bundle: /book ${(bytes / 1024).toFixed(1)} kB gzip in ${scripts.length} files; bare React page ${(baseline / 1024).toFixed(1)} kB; staff app ${(staffBytes / 1024).toFixed(1)} kB`);
      return {
        rows: [row('book-page-bundle', 'kb_gzip', bytes / 1024, 'kB', baseline / 1024)],
        notes: {
          goal: 'kb_gzip <= 150',
          files: scripts.map((f) => ({ file: path.relative(dist, f), kbGzip: Math.round((gz(f) / 1024) * 10) / 10 })),
          baseline: 'a bare React page (createRoot().render(<h1>)) built by Vite in the same run',
          staffAppKbGzip: Math.round((staffBytes / 1024) * 10) / 10,
        },
      };
    } finally {
      scratch.remove();
    }
  },
};
