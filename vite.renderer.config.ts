import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

/** The web-mode build of the renderer and of the patient booking page (the Electron build is in electron.vite.config.ts). */
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [react()],
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
