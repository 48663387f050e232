import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError } from '../../errors.js';
import { commands } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { Logger } from '../../logger.js';
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import { deleteAfter, effectivePolicy, recordingPath, shouldRecord, type PolicyIds } from './decide.js';
import type { DiskGuard } from './disk-guard.js';
import type { PolicyService } from './policies.service.js';
import { createRecordingRepository, type RecordingRepository } from './recordings.repository.js';
import type { Recording, RecordingPolicy } from './recordings.types.js';
import { compress, WorkQueue, type Stored } from './storage.js';

/** The policies numbers, queues and agents name, through their services. */
export interface PolicyLookups {
  ofNumber(numberId: number): number | null;
  ofQueue(queueId: number): number | null;
  ofAgent(agentId: number): number | null;
}

export interface RecorderDeps {
  db: Db;
  sw: SwitchPort;
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  policies: PolicyService;
  lookups: PolicyLookups;
  guard: DiskGuard;
  dataDir: string;
  /** [0, 1): decides percent policies. */
  random?: () => number;
  /** How long after a recorded leg hangs up its RECORD_STOP may still come before the recording is given up. */
  stopGraceMs?: number;
  /** Compression (tests may slow it down or make it fail). */
  compress?: (wav: string, stereo: boolean) => Promise<Stored>;
}

type Start = { callId: string; leg: string; policy: RecordingPolicy; agentId: number | null; from: 'call' | 'answer' };

/**
 * Records calls as their policies say. It follows calls through the ledger (first leg answered, agent answered)
 * and drives FreeSWITCH's uuid_record on the customer's leg, so the customer is one stereo channel and whoever
 * they hear (IVR, agent) the other. Each call's entries are handled one after another; a listener never throws.
 */
export class Recorder {
  readonly repo: RecordingRepository;
  private readonly chains = new Map<string, Promise<void>>();
  /** Percent decisions, once per call and policy: a call answered twice is not rolled twice. */
  private readonly rolls = new Map<string, boolean>();
  private readonly storing = new Set<number>();
  private readonly queue = new WorkQueue(2);
  private readonly listeners: ((agentId: number | null) => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly d: RecorderDeps) {
    this.repo = createRecordingRepository(d.db);
    d.ledger.onAppend((e) => this.heard(e));
    d.sw.on('record.stopped', (e) => this.serially(`file:${e.file}`, () => this.stopped(e.file, e.at)));
    d.sw.onConnection((up) => void (up && this.recover()));
    if (d.sw.isConnected) void this.recover();
  }

  /** Hear of recordings starting, pausing and ending (the agent's id, when one is on the call). */
  onChange(f: (agentId: number | null) => void): () => void {
    this.listeners.push(f);
    return () => void this.listeners.splice(this.listeners.indexOf(f), 1);
  }

  /** The recording running on the agent's call, if any. */
  current(agentId: number): { id: number; isPaused: boolean } | null {
    const r = this.repo.activeOfAgent(agentId);
    return r && { id: r.id, isPaused: r.isPaused };
  }

  /**
   * Mask (pause) or unmask the recording of the agent's own call: silence is written meanwhile, so the file keeps
   * the call's timeline and the record shows where the gap is. Only the agent the recording belongs to can.
   */
  async pause(agentId: number, paused: boolean, by: string): Promise<void> {
    const r = this.repo.activeOfAgent(agentId);
    if (!r) throw new ConflictError('recording.none', {}, { message: 'Your call is not being recorded.' });
    if (r.isPaused === paused) return;
    await this.d.sw.api(commands.uuidRecord(r.legUuid, paused ? 'mask' : 'unmask', this.abs(r.path)));
    this.repo.setPaused(r.id, paused);
    this.d.ledger.append({ at: this.d.clock.now(), kind: paused ? 'recording.paused' : 'recording.resumed', callId: r.callId, agentId, data: { recordingId: r.id, by } });
    this.changed(agentId);
  }

  /** Stop the timers of recordings waiting for their stop (shutdown, tests). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Resolves when everything heard so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  private heard(e: LedgerEntry): void {
    if (!e.callId) return;
    const callId = e.callId;
    if (e.kind === 'leg.answered' && e.data.uuid === callId) this.serially(callId, () => this.callAnswered(callId));
    else if (e.kind === 'queue.answered' && e.agentId !== null) {
      const [agentId, queueId] = [e.agentId, e.queueId];
      this.serially(callId, () => this.agentAnswered(callId, callId, agentId, { agent: this.d.lookups.ofAgent(agentId), queue: queueId === null ? null : this.d.lookups.ofQueue(queueId), number: this.numberPolicy(callId) }));
    } else if (e.kind === 'call.answered' && e.agentId !== null && typeof e.data.customerLeg === 'string') {
      const [agentId, leg] = [e.agentId, e.data.customerLeg];
      this.serially(callId, () => this.agentAnswered(callId, leg, agentId, { agent: this.d.lookups.ofAgent(agentId), queue: null, number: null }));
    } else if (e.kind === 'leg.hungup' && typeof e.data.uuid === 'string') {
      const uuid = e.data.uuid;
      this.serially(callId, async () => this.legHungUp(callId, uuid));
    }
  }

  /** Run `f` after the earlier work of the same call (or file); log what fails. */
  private serially(key: string, f: () => Promise<void>): void {
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(f)
      .catch((err: unknown) => this.d.log.error({ err, key }, 'recording step failed'))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  /**
   * The call's number's policy: the number its first leg came in on. A carrier's call learns its number in the
   * dialplan, after the leg was created, so its leg.answered entry says it (leg.created does for originated calls).
   */
  private numberPolicy(callId: string): number | null {
    const said = this.d.ledger.forCall(callId).filter((x) => (x.kind === 'leg.created' || x.kind === 'leg.answered') && x.data.uuid === callId && typeof x.data.numberId === 'number');
    const numberId = said.at(-1)?.data.numberId;
    return typeof numberId === 'number' ? this.d.lookups.ofNumber(numberId) : null;
  }

  /** The first leg answered: only a whole-call policy, and only the number's, can start now. */
  private async callAnswered(callId: string): Promise<void> {
    const chosen = effectivePolicy({ agent: null, queue: null, number: this.numberPolicy(callId) }, (id) => this.d.policies.find(id));
    if (!chosen || chosen.policy.start !== 'call' || !this.decide(callId, chosen.policy)) return;
    if (this.repo.activeOnLeg(callId)) return;
    await this.start({ callId, leg: callId, policy: chosen.policy, agentId: null, from: 'call' });
  }

  /** An agent answered: the most specific policy decides again. */
  private async agentAnswered(callId: string, leg: string, agentId: number, ids: PolicyIds): Promise<void> {
    const chosen = effectivePolicy(ids, (id) => this.d.policies.find(id));
    const running = this.repo.activeOnLeg(leg);
    if (running && chosen?.policy.mode === 'never' && chosen.source !== 'number') {
      await this.d.sw.api(commands.uuidRecord(leg, 'stop', this.abs(running.path)));
      this.d.ledger.append({ at: this.d.clock.now(), kind: 'recording.stopped', callId, agentId, data: { recordingId: running.id, reason: `${chosen.source} policy ${chosen.policy.name} records never` } });
      return;
    }
    if (running) {
      // The recording follows the call to whoever answers it: that agent may pause it.
      this.repo.setAgent(running.id, agentId);
      this.changed(agentId);
      return;
    }
    if (!chosen || !this.decide(callId, chosen.policy)) return;
    await this.start({ callId, leg, policy: chosen.policy, agentId, from: 'answer' });
  }

  private decide(callId: string, policy: RecordingPolicy): boolean {
    const key = `${callId}:${policy.id}`;
    let yes = this.rolls.get(key);
    if (yes === undefined) this.rolls.set(key, (yes = shouldRecord(policy, this.d.random ?? Math.random)));
    return yes;
  }

  private async start(s: Start): Promise<void> {
    const at = this.d.clock.now();
    const base = { callId: s.callId, ...(s.agentId === null ? {} : { agentId: s.agentId }) };
    if (!(await this.d.guard.allows())) {
      this.d.ledger.append({ at, ...base, kind: 'recording.skipped', data: { reason: 'disk', uuid: s.leg, policyId: s.policy.id } });
      return;
    }
    const { id, path } = this.d.db.transaction(() => {
      const id = this.repo.insert({ callId: s.callId, legUuid: s.leg, policyId: s.policy.id, agentId: s.agentId, stereo: s.policy.stereo, startedAt: at, deleteAfter: deleteAfter(at, s.policy.retentionDays) });
      const path = recordingPath(at, s.callId, id);
      this.repo.setPath(id, path);
      return { id, path };
    })();
    const file = this.abs(path);
    try {
      await this.ensureDir(dirname(file));
      // RECORD_STEREO is read when the recording starts: read stream (the customer) left, write stream right.
      await this.d.sw.api(commands.uuidSetvar(s.leg, 'RECORD_STEREO', s.policy.stereo ? 'true' : 'false'));
      await this.d.sw.api(commands.uuidRecord(s.leg, 'start', file));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.repo.markFailed(id, `could not start: ${error}`, this.d.clock.now());
      this.d.ledger.append({ at: this.d.clock.now(), ...base, kind: 'recording.failed', data: { recordingId: id, error } });
      this.d.log.warn({ err, callId: s.callId, uuid: s.leg, recordingId: id }, 'recording not started');
      return;
    }
    this.d.ledger.append({ at, ...base, kind: 'recording.started', data: { recordingId: id, uuid: s.leg, stereo: s.policy.stereo, policyId: s.policy.id, from: s.from } });
    this.d.log.info({ callId: s.callId, uuid: s.leg, recordingId: id, policyId: s.policy.id }, 'recording started');
    this.changed(s.agentId);
  }

  /** The recorded leg hung up: FreeSWITCH stops the recording itself; if its RECORD_STOP never comes, give up. */
  private legHungUp(callId: string, uuid: string): void {
    if (uuid === callId) for (const key of this.rolls.keys()) if (key.startsWith(`${callId}:`)) this.rolls.delete(key);
    const r = this.repo.activeOnLeg(uuid);
    if (!r) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.serially(`file:${this.abs(r.path)}`, () => this.lost(r.id));
    }, this.d.stopGraceMs ?? 15_000);
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * After a (re)connect: a recording still "recording" whose leg is gone ended while the controller was away, its
   * hangup and RECORD_STOP unheard. Keep what FreeSWITCH wrote, or fail it; a live one goes on as usual.
   */
  private async recover(): Promise<void> {
    for (const r of this.repo.staleSince(this.d.clock.now() + 1)) {
      const exists = await this.d.sw.api(commands.uuidExists(r.legUuid)).catch(() => null);
      if (exists === null || exists.trim() === 'true') continue;
      this.serially(`file:${this.abs(r.path)}`, () => this.lost(r.id));
    }
  }

  /** RECORD_STOP: store the file (compression waits its turn). */
  private async stopped(file: string, at: number): Promise<void> {
    const r = this.repo.findByPath(relative(this.d.dataDir, file));
    if (!r || r.status !== 'recording' || this.storing.has(r.id)) return;
    this.repo.markStopped(r.id, at);
    await this.store(r.id);
  }

  /** No RECORD_STOP in time after the hangup: keep what FreeSWITCH wrote, if anything. */
  private async lost(id: number): Promise<void> {
    const r = this.repo.findById(id);
    if (!r || r.status !== 'recording' || this.storing.has(id)) return;
    this.d.log.warn({ recordingId: id, callId: r.callId }, 'no RECORD_STOP after the hangup');
    this.repo.markStopped(id, this.d.clock.now());
    await this.store(id);
  }

  private async store(id: number): Promise<void> {
    this.storing.add(id);
    try {
      const r = this.repo.findById(id)!;
      const wav = this.abs(r.path);
      let s: Stored;
      try {
        s = await this.queue.run(() => (this.d.compress ?? compress)(wav, r.stereo));
      } catch (err) {
        this.fail(r, `no file: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (s.error) this.d.log.error({ recordingId: id, err: s.error }, 'recording not compressed: kept as WAV');
      const policy = r.policyId === null ? null : this.d.policies.find(r.policyId);
      const stoppedAt = r.stoppedAt ?? this.d.clock.now();
      this.repo.markStored(id, { path: relative(this.d.dataDir, s.file), format: s.format, durationMs: s.durationMs, sizeBytes: s.sizeBytes, deleteAfter: policy ? deleteAfter(stoppedAt, policy.retentionDays) : r.deleteAfter, error: s.error, stoppedAt });
      this.d.ledger.append({ at: this.d.clock.now(), kind: 'recording.stored', callId: r.callId, ...(r.agentId === null ? {} : { agentId: r.agentId }), data: { recordingId: id, durationMs: s.durationMs, sizeBytes: s.sizeBytes } });
      this.changed(r.agentId);
    } finally {
      this.storing.delete(id);
    }
  }

  private fail(r: Recording, error: string): void {
    this.repo.markFailed(r.id, error, this.d.clock.now());
    this.d.ledger.append({ at: this.d.clock.now(), kind: 'recording.failed', callId: r.callId, ...(r.agentId === null ? {} : { agentId: r.agentId }), data: { recordingId: r.id, error } });
    this.d.log.warn({ recordingId: r.id, callId: r.callId, error }, 'recording failed');
    this.changed(r.agentId);
  }

  private changed(agentId: number | null): void {
    for (const f of this.listeners) f(agentId);
  }

  private abs(path: string): string {
    return join(this.d.dataDir, path);
  }

  /** FreeSWITCH (in the callbox group) writes here: group-writable, and new folders keep the group (setgid). */
  private async ensureDir(dir: string): Promise<void> {
    const root = join(this.d.dataDir, 'recordings');
    await mkdir(dir, { recursive: true });
    for (let d = dir; d.startsWith(root); d = dirname(d)) await chmod(d, 0o2770);
  }
}
