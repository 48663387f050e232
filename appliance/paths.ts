import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root is the folder holding package.json; the code runs from dist/ but reads web/ from the root. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${from}`);
    dir = up;
  }
  return dir;
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const viewsDir = join(projectRoot, 'web', 'views');
export const staticDir = join(projectRoot, 'web', 'static');
export const freeswitchConfDir = join(projectRoot, 'freeswitch-conf');

export const appVersion: string = (
  JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;

/** The bundled browser SIP stack's version (web/static/vendor/jssip.js is built from this package). */
export const jssipVersion: string = (() => {
  const file = join(projectRoot, 'node_modules', 'jssip', 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'unknown';
})();
