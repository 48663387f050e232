import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { isoNow, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { commands } from '../freeswitch/commands.js';
import type { SwitchPort } from '../freeswitch/switch.port.js';
import type { Logger } from '../logger.js';
import { paginate } from '../paging.js';
import { buildModel, GENERATED_HEADER, mohDirectory, voicemailDirectory, type ModelData } from './model.js';
import { ensureHoldMusic, ensureVoicemailDirectory } from './moh.js';
import { renderTree } from './render.js';
import { createRevisionRepository, type Revision, type RevisionRepository } from './revisions.repository.js';

export interface PublishResult {
  revision: number;
  status: Revision['status'];
  changed: string[];
  actions: string[];
  error: string | null;
}

/** Files whose changes FreeSWITCH only reads at start. */
const NEEDS_RESTART = ['autoload_configs/modules.conf.xml', 'autoload_configs/event_socket.conf.xml', 'autoload_configs/switch.conf.xml'];
/** Folders FreeSWITCH includes with a glob: any other XML in them would be loaded too. */
const INCLUDED_DIRS = ['', 'autoload_configs', 'sip_profiles', 'sip_profiles/external', 'dialplan', 'directory'];
const DEBOUNCE_MS = 500;
const LOCAL_STREAM = 'autoload_configs/local_stream.conf.xml';

/**
 * Render → check → write only changed files atomically → reloadxml / sofia rescan or restart only as needed.
 * One publish at a time; requests meanwhile are merged. Every publish is a revision row with its diff. A
 * publish that fails (render, check, write, or FreeSWITCH refusing the result) leaves the previous files.
 */
export class ConfigPublisher {
  private readonly repo: RevisionRepository;
  private readonly log: Logger;
  private running: Promise<PublishResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private queuedReasons: string[] = [];
  /** Files were written while FreeSWITCH was not connected: if it was running all along, it must reload them. */
  private reloadPending = false;

  constructor(private readonly d: { db: Db; clock: Clock; log: Logger; config: Config; sw: SwitchPort; confDir: string; data?: () => ModelData }) {
    this.repo = createRevisionRepository(d.db);
    this.log = d.log.child({ module: 'confgen' });
    d.sw.onConnection((connected) => {
      if (!connected || !this.reloadPending) return;
      this.reloadPending = false;
      d.sw.api(commands.reloadXml()).then(
        () => this.log.info('configuration written while disconnected was reloaded'),
        (err: unknown) => this.log.warn({ err }, 'reloadxml after reconnecting failed'),
      );
    });
  }

  /** Ask for a publish soon; several requests within the debounce window become one publish. */
  requestPublish(reason: string): void {
    this.queuedReasons.push(reason);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const reasons = this.queuedReasons.splice(0);
      this.publish(reasons.join(', '), 'system').catch((err: unknown) => this.log.error({ err }, 'configuration publish crashed'));
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Publish now (after any publish already running). Never throws: failures become failed revisions. */
  async publish(reason: string, actorName: string): Promise<PublishResult> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.run(reason, actorName);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  revisions(page: number, pageSize = 20) {
    return paginate(page, pageSize, (limit, offset) => this.repo.list(limit, offset));
  }

  revision(id: number): Revision | undefined {
    return this.repo.get(id);
  }

  /**
   * sofia removes a killed gateway on its next check, a moment later; a rescan before that would keep the old
   * one. Wait until the switch no longer reports it (at most 5 s).
   */
  private async gatewayGone(gw: string): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if (!(await this.d.sw.api(commands.sofiaGateway(gw)).catch(() => '')).includes(`<name>${gw}</name>`)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.log.warn({ gateway: gw }, 'gateway still present 5 s after killgw; rescanning anyway');
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private async run(reason: string, actorName: string): Promise<PublishResult> {
    const root = this.d.confDir;
    const record = (r: Omit<Revision, 'id' | 'createdAt' | 'reason' | 'actorName'>): PublishResult => {
      const id = this.repo.insert({ ...r, createdAt: isoNow(this.d.clock), reason, actorName });
      if (r.status === 'failed') this.log.error({ revision: id, error: r.error }, 'configuration publish failed');
      else this.log.info({ revision: id, status: r.status, changed: r.filesChanged.length }, 'configuration published');
      return { revision: id, status: r.status, changed: r.filesChanged, actions: r.actions, error: r.error };
    };
    const failed = (error: string) => record({ status: 'failed', sha256: null, filesChanged: [], actions: [], diff: '', error });

    let tree: Map<string, string>;
    try {
      // One read transaction: the snapshot is consistent even while the console keeps writing.
      tree = renderTree(buildModel(this.d.config, this.d.data ? this.d.db.transaction(this.d.data)() : undefined));
      ensureHoldMusic(mohDirectory(this.d.config));
      ensureVoicemailDirectory(voicemailDirectory(this.d.config));
    } catch (e) {
      return failed(`could not render the configuration: ${(e as Error).message}`);
    }
    const sha256 = createHash('sha256');
    for (const [path, text] of tree) sha256.update(path).update('\0').update(text).update('\0');

    let stale: string[];
    const old = new Map<string, string | null>();
    try {
      const found = this.scan(root);
      const foreign = found.filter((f) => !tree.has(f) && !isGenerated(join(root, f)));
      if (foreign.length) {
        return failed(`${root} holds XML files Callbox did not write, which FreeSWITCH would load too: ${foreign.join(', ')}. Move them out of the way (install.sh moves the stock configuration aside).`);
      }
      stale = found.filter((f) => !tree.has(f));
      for (const path of tree.keys()) old.set(path, existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null);
    } catch (e) {
      return failed(`cannot read ${root}: ${(e as Error).message}`);
    }

    const changed = [...tree.keys()].filter((p) => old.get(p) !== tree.get(p));
    if (changed.length === 0 && stale.length === 0) {
      return record({ status: 'unchanged', sha256: sha256.digest('hex'), filesChanged: [], actions: [], diff: '', error: null });
    }
    const diff = [...changed.map((p) => createTwoFilesPatch(p, p, old.get(p) ?? '', tree.get(p)!, old.get(p) === null ? 'new' : '', '')), ...stale.map((p) => `--- ${p}\n+++ /dev/null\n(removed)\n`)].join('\n');

    try {
      for (const p of changed) writeAtomically(join(root, p), tree.get(p)!);
      for (const p of stale) unlinkSync(join(root, p));
    } catch (e) {
      this.restore(root, old, changed);
      return failed(`cannot write ${root}: ${(e as Error).message}`);
    }

    const actions: string[] = [];
    if (!this.d.sw.isConnected) {
      this.reloadPending = true;
      actions.push('FreeSWITCH is not connected: it reads these files when it starts');
    } else {
      try {
        await this.d.sw.api(commands.reloadXml());
        actions.push('reloadxml');
        actions.push(...(await this.restartMusic(old.get(LOCAL_STREAM) ?? '', tree.get(LOCAL_STREAM) ?? '')));
        for (const profile of ['internal', 'external'] as const) {
          if (changed.includes(`sip_profiles/${profile}.xml`)) {
            // A new profile is started; a changed one (ports, addresses) only changes by restarting it;
            // gateways need only a rescan.
            const isNew = old.get(`sip_profiles/${profile}.xml`) === null;
            await this.d.sw.api(isNew ? commands.sofiaStart(profile) : commands.sofiaRestart(profile));
            actions.push(`sofia profile ${profile} ${isNew ? 'start' : 'restart'}`);
          } else if (changed.some((p) => p.startsWith(`sip_profiles/${profile}/`))) {
            // A rescan adds new gateways but leaves existing ones as they were: changed and removed ones go first.
            for (const gw of changedGateways(old.get(`sip_profiles/${profile}/gateways.xml`) ?? '', tree.get(`sip_profiles/${profile}/gateways.xml`) ?? '')) {
              await this.d.sw.api(commands.sofiaKillGateway(profile, gw));
              await this.gatewayGone(gw);
              actions.push(`sofia profile ${profile} killgw ${gw}`);
            }
            await this.d.sw.api(commands.sofiaRescan(profile));
            actions.push(`sofia profile ${profile} rescan`);
          }
        }
      } catch (e) {
        // FreeSWITCH refused what we wrote: put the previous files back and have it read those again.
        this.restore(root, old, changed);
        await this.d.sw.api(commands.reloadXml()).catch((err: unknown) => this.log.warn({ err }, 'reloadxml after restoring failed'));
        return record({ status: 'failed', sha256: null, filesChanged: changed, actions, diff, error: `FreeSWITCH refused the new configuration (${(e as Error).message}); the previous files were restored` });
      }
    }
    const restart = changed.filter((p) => NEEDS_RESTART.includes(p) && old.get(p) !== null);
    if (restart.length && this.d.sw.isConnected) actions.push(`takes effect when FreeSWITCH restarts: ${restart.join(', ')}`);
    return record({ status: 'applied', sha256: sha256.digest('hex'), filesChanged: [...changed, ...stale.map((s) => `${s} (removed)`)], actions, diff, error: null });
  }

  /**
   * Music classes (local_streams music_<id>) added or removed since the last files: started or stopped, since
   * mod_local_stream reads its configuration only at load. One that will not start is reported, not fatal: the
   * rest of the configuration is fine, and callers on hold hear the default music meanwhile.
   */
  private async restartMusic(before: string, after: string): Promise<string[]> {
    const streams = (xml: string) => new Set([...xml.matchAll(/<directory name="(music_\d+)"/g)].map((m) => m[1]!));
    const [was, is] = [streams(before), streams(after)];
    const out: string[] = [];
    const attempt = async (what: string, run: () => Promise<string>) => {
      try {
        await run();
        out.push(what);
      } catch (e) {
        this.log.warn({ err: e, action: what }, 'music on hold stream not changed');
        out.push(`${what} failed: ${(e as Error).message}`);
      }
    };
    for (const name of was) if (!is.has(name)) await attempt(`local_stream stop ${name}`, () => this.d.sw.api(commands.localStreamStop(name)));
    for (const name of is) if (!was.has(name)) await attempt(`local_stream start ${name}`, () => this.d.sw.api(commands.localStreamStart(name)));
    return out;
  }

  /** The XML files in the folders FreeSWITCH includes, relative to the root. */
  private scan(root: string): string[] {
    mkdirSync(root, { recursive: true });
    const out: string[] = [];
    for (const dir of INCLUDED_DIRS) {
      const abs = join(root, dir);
      if (!existsSync(abs)) continue;
      for (const f of readdirSync(abs, { withFileTypes: true })) if (f.isFile() && f.name.endsWith('.xml')) out.push(dir ? `${dir}/${f.name}` : f.name);
    }
    return out;
  }

  private restore(root: string, old: Map<string, string | null>, changed: string[]): void {
    for (const p of changed) {
      const before = old.get(p);
      try {
        if (before === null || before === undefined) {
          if (existsSync(join(root, p))) unlinkSync(join(root, p));
        } else writeAtomically(join(root, p), before);
      } catch (err) {
        this.log.error({ err, file: p }, 'could not restore a configuration file');
      }
    }
  }
}

function isGenerated(file: string): boolean {
  return readFileSync(file, 'utf8').slice(0, 300).includes(GENERATED_HEADER);
}

/** tmp file + fsync + rename: FreeSWITCH never reads a half-written file. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Gateways whose definition changed or vanished between two gateways.xml texts: each <gateway> block compared. */
export function changedGateways(before: string, after: string): string[] {
  const blocks = (xml: string) => new Map([...xml.matchAll(/<gateway name="([^"]+)">[\s\S]*?<\/gateway>/g)].map((m) => [m[1]!, m[0]]));
  const next = blocks(after);
  return [...blocks(before)].filter(([name, text]) => next.get(name) !== text).map(([name]) => name);
}

