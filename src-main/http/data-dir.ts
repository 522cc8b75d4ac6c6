import envPaths from 'env-paths';

/** The platform's per-user application data directory (e.g. ~/.local/share/clinic-desk). */
export const defaultDataDir = (): string => envPaths('clinic-desk', { suffix: '' }).data;
