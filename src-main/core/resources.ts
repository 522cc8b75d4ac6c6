/**
 * Files the app ships in `resources/` (the symptom checker's knowledge base, the receipt fonts):
 * the packaged app's resources folder (electron-builder's extraResources), else `resources/` of
 * the checkout, found upwards from this module (source under tsx and vitest, or the bundle in
 * out/main), else relative to the working directory.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function resourcePath(relative: string): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && existsSync(path.join(resourcesPath, relative))) return path.join(resourcesPath, relative);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', relative);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('resources', relative);
}
