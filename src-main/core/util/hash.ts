import { createHash } from 'node:crypto';

/** SHA-256 as hex: how tokens and typed names are kept (never in clear). */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');
