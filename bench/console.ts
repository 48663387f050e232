/**
 * Console figures: boot time, password hashing, and request latency of the health check and of a signed-in
 * users page over 1,000 users. Run: npm run build && node dist/bench/console.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { boot } from '../appliance/boot.js';
import { createLogger } from '../appliance/logger.js';
import { hashPassword } from '../appliance/modules/users/password.js';
import { testConfig } from '../appliance/test/make-test-context.js';
import { TestClient } from '../appliance/test/http-client.js';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function timeRequests(client: TestClient, path: string, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await client.get(path);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    times.push(performance.now() - t);
  }
  const total = times.reduce((a, b) => a + b, 0);
  console.log(`${path.padEnd(28)} n=${n}  p50 ${fmt(quantile(times, 0.5))}  p99 ${fmt(quantile(times, 0.99))}  ${Math.round((n / total) * 1000)} req/s sequential`);
}

const hashes: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await hashPassword('benchmark password');
  hashes.push(performance.now() - t);
}
console.log(`scrypt hash (N=2^15, r=8)    n=10  p50 ${fmt(quantile(hashes, 0.5))}`);

const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-'));
const quiet = new Writable({ write: (_c, _e, done) => done() });
const t0 = performance.now();
const app = await boot(testConfig(dir), createLogger('info', quiet));
console.log(`boot (fresh database)        ${fmt(performance.now() - t0)}`);

const insert = app.db.prepare(`INSERT INTO users (username, display_name, role, password_hash, password_changed_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, datetime('now'), datetime('now'), datetime('now'))`);
const hash = await hashPassword('bench admin password');
app.db.transaction(() => {
  insert.run('admin', 'Admin', 'admin', hash);
  for (let i = 0; i < 1000; i++) insert.run(`agent${i}`, `Agent ${i}`, 'agent', hash);
})();

const client = new TestClient(app.url);
await client.login('admin', 'bench admin password');
await timeRequests(client, '/healthz', 2000);
await timeRequests(client, '/admin', 500);
await timeRequests(client, '/admin/users', 500);
await timeRequests(client, '/admin/users?q=agent99&role=agent', 500);
await timeRequests(client, '/admin/users?page=40', 500);
const mem = process.memoryUsage();
console.log(`memory after run             rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
await app.stop();
rmSync(dir, { recursive: true, force: true });
