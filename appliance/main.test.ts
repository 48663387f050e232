import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.js', import.meta.url));

function configFile(extra: Record<string, unknown> = {}): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-main-'));
  const file = join(dir, 'appliance.json');
  // Everything under the temp folder, FreeSWITCH's configuration too: a test never writes to /etc.
  writeFileSync(file, JSON.stringify({ dataDir: join(dir, 'data'), http: { host: '127.0.0.1', port: 0 }, session: { secret: 'main-test-secret-0123456789abcdefghij' }, esl: { password: 'eslpassword', port: 1 }, freeswitch: { confDir: join(dir, 'freeswitch') }, ...extra }));
  return { file, dir };
}

function start(file: string) {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH, CALLBOX_CONFIG: file }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line.msg === 'callbox ready') resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, lines, stderr: () => stderr };
}

test('main: the controller starts, serves, and stops cleanly on SIGTERM', async (t) => {
  const { file, dir } = configFile();
  const t0 = performance.now();
  const p = start(file);
  t.teardown(() => void p.child.kill('SIGKILL'));
  const ready = await p.ready;
  t.log(`cold start to ready: ${Math.round(performance.now() - t0)} ms (process spawn included); boot stages ${String(ready.bootMs)} ms`);
  const res = await fetch(`${String(ready.url)}/healthz`);
  t.is(res.status, 200);
  t.is(statSync(join(dir, 'data', 'callbox.sqlite')).mode & 0o007, 0, 'the database is not readable by others');
  p.child.kill('SIGTERM');
  t.is(await p.exited, 0);
  t.truthy(p.lines.find((l) => l.msg === 'stopped'));
});

test('main: bad settings stop the controller with a message naming the field', async (t) => {
  const { file } = configFile({ http: { port: 'eighty' } });
  const p = start(file);
  await t.throwsAsync(p.ready);
  t.is(await p.exited, 1);
  t.regex(p.stderr(), /invalid settings in .*appliance\.json:\n {2}http\.port: /);
});
