import { useEffect, useRef, useState, type ReactNode } from 'react';
import Button from '@mui/material/Button';
import type { AppError } from '../../../src-main/contract/index.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { canSavePdf, printView, savePdf } from './print.js';

/**
 * The print stylesheet every print view shares: black on white, no app chrome, the toolbar
 * hidden, text that wraps however long (a 200-character name never runs off the page).
 * Page size is the printer's (A4 or Letter): margins in mm, content in the page's width.
 */
const BASE_CSS = `
.print-screen { background: #e8e8e8; min-height: 100vh; padding: 12px 8px 32px; box-sizing: border-box; }
.print-toolbar { display: flex; gap: 8px; justify-content: center; align-items: center; flex-wrap: wrap; margin: 0 auto 12px; max-width: 720px; }
.print-toolbar * { transition: none !important; } /* Print turns on and takes the focus as the data arrives: no half-faded colours */
.print-sheet { background: #fff; color: #000; margin: 0 auto; box-shadow: 0 1px 4px rgba(0,0,0,.35); padding: 12mm; width: 190mm; max-width: 100%;
  box-sizing: border-box; font-family: Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.35; }
.print-sheet h1, .print-sheet h2, .print-sheet p { margin: 0; }
.print-sheet, .print-sheet * { overflow-wrap: break-word; }
.print-sheet .pre { white-space: pre-line; }
@media print {
  html, body { background: #fff !important; margin: 0 !important; }
  .print-screen { background: none; padding: 0; min-height: 0; }
  .print-toolbar, .print-error { display: none !important; }
  .print-sheet { box-shadow: none; padding: 0; margin: 0; width: auto; max-width: none; }
  .print-sheet, .print-sheet * { color: #000 !important; background: transparent !important; }
}
`;

interface Props {
  /** What the page is, for the window title and the PDF's file name. */
  title: string;
  /** The view's own print rules (@page size and margins, page breaks). */
  css: string;
  /** The data has loaded: Print is enabled and takes the focus. */
  ready: boolean;
  error: AppError | null;
  sheetClassName?: string;
  children: ReactNode;
}

/** A print view: a toolbar on screen (Back, Print, Save as PDF in the desktop app) over the sheet itself. Ctrl+P prints. */
export function PrintLayout({ title, css, ready, error, sheetClassName, children }: Props) {
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const printButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (ready) printButton.current?.focus(); // Enter prints once the sheet is there
  }, [ready]);
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);
  useEffect(() => {
    // Electron has no menu to bind Ctrl+P; in a browser this is what Ctrl+P does anyway.
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        printView();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="print-screen">
      <style>{BASE_CSS + css}</style>
      <nav className="print-toolbar" aria-label="Print">
        <Button variant="outlined" onClick={() => window.history.back()}>
          Back
        </Button>
        <Button ref={printButton} variant="contained" onClick={printView} disabled={!ready} title="Ctrl+P">
          Print
        </Button>
        {canSavePdf() && (
          <Button variant="outlined" disabled={!ready} onClick={() => void savePdf(title).then(setSaveError)}>
            Save as PDF
          </Button>
        )}
      </nav>
      <div className="print-error">
        <ErrorBanner error={error ?? saveError} />
      </div>
      <main className={`print-sheet ${sheetClassName ?? ''}`} aria-label={title} aria-busy={!ready}>
        {children}
      </main>
    </div>
  );
}
