import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { SwitchStatusSource } from '../../freeswitch/switch-status.js';
import { appVersion } from '../../paths.js';

/** What the appliance knows about itself: version, uptime, database, FreeSWITCH connection. */
export class SystemService {
  /** Where the console answers; known once HTTP listens. */
  private url: string | null = null;
  /** Browser phones connected through the SIP WebSocket proxy; known once HTTP listens. */
  private browserPhones: () => number = () => 0;

  constructor(
    private readonly d: { db: Db; clock: Clock; config: Config; dbFile: string; startedAt: number; switchStatus: SwitchStatusSource },
  ) {}

  listeningOn(url: string): void {
    this.url = url;
  }

  countBrowserPhones(count: () => number): void {
    this.browserPhones = count;
  }

  switchStatus() {
    return this.d.switchStatus.status();
  }

  /** For /healthz: cheap, no secrets. Unhealthy only when the database cannot answer. */
  health() {
    const uptimeSeconds = Math.round((this.d.clock.now() - this.d.startedAt) / 1000);
    let database: { ok: boolean; schemaVersion?: number; error?: string };
    try {
      database = { ok: true, schemaVersion: this.schemaVersion() };
    } catch (e) {
      database = { ok: false, error: (e as Error).message };
    }
    const fs = this.d.switchStatus.status();
    return {
      status: database.ok ? (fs.state === 'connected' ? 'ok' : 'degraded') : 'failing',
      version: appVersion,
      uptimeSeconds,
      database,
      freeswitch: { connected: fs.state === 'connected', state: fs.state, since: fs.since },
    };
  }

  /** For the status page. */
  details() {
    const file = this.d.dbFile;
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    const backupsDir = join(this.d.config.dataDir, 'backups');
    const backups = existsSync(backupsDir)
      ? readdirSync(backupsDir)
          .filter((f) => f.endsWith('.sqlite'))
          .map((f) => ({ name: f, size: size(join(backupsDir, f)) }))
          .sort((a, b) => b.name.localeCompare(a.name))
          .slice(0, 10)
      : [];
    const migrations = this.d.db
      .prepare<[], { name: string; applied_at: string }>('SELECT name, applied_at FROM schema_migrations ORDER BY version DESC')
      .all();
    const mem = process.memoryUsage();
    return {
      version: appVersion,
      node: process.version,
      pid: process.pid,
      startedAt: new Date(this.d.startedAt).toISOString(),
      uptimeSeconds: Math.round((this.d.clock.now() - this.d.startedAt) / 1000),
      memory: { rss: mem.rss, heapUsed: mem.heapUsed },
      dataDir: this.d.config.dataDir,
      database: { file, size: size(file), walSize: size(`${file}-wal`), schemaVersion: this.schemaVersion(), migrations, backups, backupsDir },
      freeswitch: { ...this.d.switchStatus.status(), eslAddress: `${this.d.config.esl.host}:${this.d.config.esl.port}`, confDir: this.d.config.freeswitch.confDir },
      http: { url: this.url, tls: Boolean(this.d.config.http.tls), publicUrl: this.d.config.http.publicUrl ?? null, browserPhones: this.browserPhones() },
      logLevel: this.d.config.log.level,
    };
  }

  private schemaVersion(): number {
    return (this.d.db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  }
}
