import type { DaySheetRow } from '../../../src-main/contract/index.js';

export const statusLabel: Record<DaySheetRow['status'], string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
};

export const needLabel: Record<DaySheetRow['requirements']['accessibility'][number], string> = {
  wheelchair: 'Wheelchair access',
  mobility: 'Mobility help',
  hearing: 'Hearing support',
  visual: 'Visual support',
  cognitive: 'Cognitive support',
  other: 'Other access need (see notes)',
};

const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "Spanish (es)", "Chinese, Traditional (zh-Hant)": the interpreter's language by name and code. */
export function languageName(code: string): string {
  try {
    const name = languages.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
