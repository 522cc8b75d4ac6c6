import { createContext, useContext } from 'react';
import { en, type StringKey } from './en.js';
import { es } from './es.js';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];
const tables: Record<Lang, Record<StringKey, string>> = { en, es };

export type T = (key: StringKey, vars?: Record<string, string | number>) => string;

/** A translator for a language: `{name}` placeholders are filled from vars. */
export function translator(lang: Lang): T {
  const table = tables[lang];
  return (key, vars) => {
    const text = table[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
  };
}

/** The browser's language when it is one we have, else English. */
export function preferredLang(): Lang {
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().slice(0, 2);
    if ((LANGS as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

export interface LangContextValue {
  lang: Lang;
  t: T;
  /** BCP 47 locale for dates and money. */
  locale: string;
}
export const LangContext = createContext<LangContextValue>({ lang: 'en', t: translator('en'), locale: 'en-GB' });
export const useT = (): LangContextValue => useContext(LangContext);
export type { StringKey };
