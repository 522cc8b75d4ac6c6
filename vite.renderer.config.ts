import { writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

/**
 * Writes a .br and a .gz beside every script, stylesheet and page of the build, which the
 * web-mode server sends to browsers that accept them (fastify-static `preCompressed`): a phone
 * on a slow network downloads the patient page's scripts at a quarter of their size.
 */
function precompress(): Plugin {
  return {
    name: 'clinic-desk-precompress',
    apply: 'build',
    enforce: 'post',
    writeBundle(options, bundle) {
      for (const [fileName, item] of Object.entries(bundle)) {
        if (!/\.(js|css|html|svg)$/.test(fileName)) continue;
        const source = item.type === 'chunk' ? item.code : item.source;
        const data = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        if (data.length < 1024) continue;
        const file = path.join(options.dir!, fileName);
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }));
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

/** The web-mode build of the renderer and of the patient booking page (the Electron build is in electron.vite.config.ts). */
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [react(), precompress()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist', 'renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Two pages: the staff app and the patient booking page (/book), which shares no staff code.
    rollupOptions: {
      input: {
        main: path.resolve(import.meta.dirname, 'src-renderer', 'index.html'),
        book: path.resolve(import.meta.dirname, 'src-renderer', 'book', 'index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
