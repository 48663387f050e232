// tsc compiles only .ts; the SQL migrations must sit beside their compiled runner in dist/.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
const from = 'appliance/db/migrations';
const to = 'dist/appliance/db/migrations';
mkdirSync(to, { recursive: true });
for (const f of readdirSync(from)) if (f.endsWith('.sql')) cpSync(`${from}/${f}`, `${to}/${f}`);
