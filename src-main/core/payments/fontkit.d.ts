/** The part of fontkit (pdfkit's own font engine, no bundled types) the receipt uses. */
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function openSync(filename: string): Font;
}
