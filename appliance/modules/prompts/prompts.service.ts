import { existsSync, rmSync } from 'node:fs';
import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { paginate } from '../../paging.js';
import { fieldErrors, parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';
import { PromptFiles } from './prompt-files.js';
import { createPromptRepository, type PromptRepository } from './prompts.repository.js';
import { PromptFilterSchema, RenameSchema, SpeechPromptSchema, SpeechSchema, UploadSchema, VOICE_LABELS, type Prompt, type PromptCategory, type Speech } from './prompts.types.js';
import { renderSpeech, voices } from './speech.js';
import { speechHash, SpeechQueue, type Renderer } from './speech-queue.js';
import { durationMs, sizeOf } from './audio.js';
import { convertUpload } from './uploads.js';

export interface PromptDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  log: Logger;
  /** <dataDir>/sounds */
  soundsDir: string;
  /** Ask for the FreeSWITCH configuration to be published: music classes are local_stream folders. */
  publish: (reason: string) => void;
  /** Names of what plays a prompt (flows): a used prompt cannot be deleted. */
  usedBy: (id: number) => string[];
  /** The generated default hold music (confgen/moh.ts), made if missing: local_stream://moh plays it. */
  holdMusic: () => string;
  render?: Renderer;
  concurrency?: number;
}

/**
 * The prompt library: uploaded, recorded and spoken (espeak-ng) audio for flows, and music classes for hold.
 * Text-to-speech renders in the background; flows also speak text with variables at call time (speak).
 */
export class PromptService {
  private readonly repo: PromptRepository;
  readonly files: PromptFiles;
  private readonly queue: SpeechQueue;
  /** Background renders until their prompt's row says how they went. */
  private readonly settling = new Set<Promise<void>>();

  constructor(private readonly d: PromptDeps) {
    this.repo = createPromptRepository(d.db);
    this.files = new PromptFiles(d.soundsDir);
    this.queue = new SpeechQueue(d.render ?? renderSpeech, d.concurrency ?? 2);
  }

  list(query: unknown, pageSize = 25) {
    const filter = PromptFilterSchema.parse(query ?? {});
    return { filter, ...paginate<Prompt>(filter.page, pageSize, (limit, offset) => this.repo.list(filter, limit, offset)) };
  }

  /** The prompt, or null. */
  get(id: number): Prompt | null {
    return this.repo.findById(id);
  }

  /** The prompt, or a 404 for the console. */
  find(id: number): Prompt {
    const p = this.repo.findById(id);
    if (!p) throw new NotFoundError('prompt.not_found', { id }, { message: 'No such prompt.' });
    return p;
  }

  /** The absolute path of the prompt's audio when it is ready to play, else null (rendering, failed, gone). */
  fileOf(id: number): string | null {
    const p = this.repo.findById(id);
    if (!p || p.status !== 'ready') return null;
    const file = this.fileFor(p);
    return existsSync(file) ? file : null;
  }

  /** Ready prompts of one category, by name: what flows' pickers offer. */
  listReady(category: PromptCategory = 'prompt'): { id: number; name: string }[] {
    return this.repo.ready(category).map(({ id, name }) => ({ id, name }));
  }

  /** Names of what plays this prompt. */
  usersOf(id: number): string[] {
    return this.d.usedBy(id);
  }

  /** The voices to offer: the well-known ones espeak-ng has, then the rest of what it has. */
  async voiceOptions(): Promise<{ value: string; label: string }[]> {
    const have = await voices();
    const known = Object.entries(VOICE_LABELS).filter(([v]) => have.has(v)).map(([value, label]) => ({ value, label: `${label} (${value})` }));
    const rest = [...have].filter((v) => !(v in VOICE_LABELS)).sort().map((value) => ({ value, label: value }));
    return [...known, ...rest];
  }

  /** Upload (or browser recording) of WAV or MP3 audio, converted for telephony; `file` is the received file. */
  async upload(input: { name?: unknown; category?: unknown; source?: unknown; originalName: string | null; file: string | null }, actor: Actor): Promise<Prompt> {
    const parsed = UploadSchema.safeParse(input);
    const problems = parsed.success ? {} : fieldErrors(parsed.error);
    if (!input.file) problems.file = 'Choose a WAV or MP3 file.';
    if (!parsed.success || !input.file) throw new ValidationError('prompt.invalid', problems, 'Some fields need attention.');
    const data = parsed.data;
    this.refuseTakenName(data.name);
    const audio = await convertUpload(input.file, this.files.incoming());
    try {
      const id = this.d.db.transaction(() => {
        this.refuseTakenName(data.name);
        const id = this.repo.insert({ ...data, speech: null, hash: audio.hash, status: 'ready', durationMs: audio.durationMs, sizeBytes: audio.sizeBytes, originalName: input.originalName }, isoNow(this.d.clock));
        // Inside the transaction: if the file cannot be put in place, there is no row naming it.
        this.files.place(audio.work, data.category === 'music' ? this.files.music(id, audio.hash) : this.files.prompt(audio.hash));
        this.d.audit.record(actor, { action: 'prompt.created', entityType: 'prompt', entityId: id, summary: `${data.source === 'recording' ? 'recorded' : 'uploaded'} ${data.category === 'music' ? 'hold music' : 'prompt'} ${data.name}`, details: { originalName: input.originalName, durationMs: audio.durationMs, sizeBytes: audio.sizeBytes } });
        return id;
      })();
      if (data.category === 'music') this.d.publish(`hold music ${data.name} added`);
      return this.repo.findById(id)!;
    } finally {
      rmSync(audio.work, { force: true });
    }
  }

  /** A text-to-speech prompt: saved as rendering at once, spoken in the background, then ready or failed. */
  async createSpeech(input: unknown, actor: Actor): Promise<Prompt> {
    const { name, ...speech } = parseInput(SpeechPromptSchema, input, 'prompt.invalid');
    await this.refuseUnknownVoice(speech.voice);
    const hash = await speechHash(speech);
    const id = this.d.db.transaction(() => {
      this.refuseTakenName(name);
      const id = this.repo.insert({ name, category: 'prompt', source: 'tts', speech, hash, status: 'rendering', durationMs: null, sizeBytes: null, originalName: null }, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'prompt.created', entityType: 'prompt', entityId: id, summary: `created text-to-speech prompt ${name}`, details: speech });
      return id;
    })();
    this.renderInBackground(id, hash, speech);
    return this.repo.findById(id)!;
  }

  /** Rename; a text-to-speech prompt's speech may change too, and is spoken again when it did (or last failed). */
  async update(id: number, input: unknown, actor: Actor): Promise<Prompt> {
    const before = this.find(id);
    if (!before.speech) {
      const { name } = parseInput(RenameSchema, input, 'prompt.invalid');
      this.d.db.transaction(() => {
        this.refuseTakenName(name, id);
        this.repo.rename(id, name, isoNow(this.d.clock));
        this.d.audit.record(actor, { action: 'prompt.updated', entityType: 'prompt', entityId: id, summary: `renamed prompt ${before.name} to ${name}` });
      })();
      return this.repo.findById(id)!;
    }
    const { name, ...speech } = parseInput(SpeechPromptSchema, input, 'prompt.invalid');
    await this.refuseUnknownVoice(speech.voice);
    const hash = await speechHash(speech);
    const again = hash !== before.hash || before.status === 'failed';
    this.d.db.transaction(() => {
      this.refuseTakenName(name, id);
      this.repo.rename(id, name, isoNow(this.d.clock));
      if (again) this.repo.respeak(id, speech, hash, isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'prompt.updated', entityType: 'prompt', entityId: id, summary: `updated text-to-speech prompt ${name}${name !== before.name ? ` (was ${before.name})` : ''}`, details: { before: before.speech, after: speech } });
    })();
    if (hash !== before.hash) this.removeIfUnused(before);
    if (again) this.renderInBackground(id, hash, speech);
    return this.repo.findById(id)!;
  }

  delete(id: number, actor: Actor): void {
    const p = this.find(id);
    const users = this.d.usedBy(id);
    if (users.length) throw new ConflictError('prompt.in_use', { users }, { message: `${p.name} cannot be deleted: ${users.join(', ')} ${users.length === 1 ? 'plays' : 'play'} it.` });
    this.d.db.transaction(() => {
      this.repo.delete(id);
      this.d.audit.record(actor, { action: 'prompt.deleted', entityType: 'prompt', entityId: id, summary: `deleted ${p.category === 'music' ? 'hold music' : 'prompt'} ${p.name}` });
    })();
    this.removeIfUnused(p);
    if (p.category === 'music') this.d.publish(`hold music ${p.name} removed`);
  }

  /**
   * Speech for a call, from text a flow filled in at call time: the absolute path of a ready WAV under
   * <dataDir>/sounds/tts. Rendered on a cache miss; callers asking for the same speech at once share one render.
   */
  async speak(input: Speech): Promise<string> {
    const speech = parseInput(SpeechSchema, input, 'prompt.invalid_speech');
    await this.refuseUnknownVoice(speech.voice);
    const file = this.files.tts(await speechHash(speech));
    await this.queue.ensure(file, speech);
    return file;
  }

  /** After a restart: speak again what was being spoken when the controller stopped. */
  resume(): void {
    for (const p of this.repo.rendering()) if (p.speech) this.renderInBackground(p.id, p.hash, p.speech);
  }

  /** Resolves once no speech is rendering or waiting, and every prompt rendered says so. */
  async idle(): Promise<void> {
    await this.queue.idle();
    while (this.settling.size) await Promise.allSettled([...this.settling]);
  }

  /** The default hold music's file, for the console's player. */
  defaultMusic(): string {
    return this.d.holdMusic();
  }

  /** Ready music classes for the configuration generator, by id: one local_stream folder each. */
  forConfig(): { id: number; name: string; dir: string }[] {
    return this.repo.ready('music').sort((a, b) => a.id - b.id).map((p) => ({ id: p.id, name: p.name, dir: this.files.musicDir(p.id) }));
  }

  private fileFor(p: Prompt): string {
    return p.category === 'music' ? this.files.music(p.id, p.hash) : this.files.prompt(p.hash);
  }

  private renderInBackground(id: number, hash: string, speech: Speech): void {
    const file = this.files.prompt(hash);
    const log = this.d.log.child({ promptId: id });
    const settle = this.queue
      .ensure(file, speech)
      .then(
        async (rendered) => {
          const isSettled = this.repo.markReady(id, hash, await durationMs(file), sizeOf(file), isoNow(this.d.clock));
          log.info({ rendered, isSettled }, 'prompt speech ready');
          // Deleted or changed while it rendered: nothing names the file now.
          if (!isSettled && this.repo.hashUsers(hash) === 0) rmSync(file, { force: true });
        },
        (e: unknown) => {
          const error = e instanceof Error ? e.message : String(e);
          this.repo.markFailed(id, hash, error.slice(0, 1000), isoNow(this.d.clock));
          log.warn({ error }, 'prompt speech failed');
        },
      )
      .catch((e: unknown) => log.error({ err: e }, 'prompt speech could not be settled'))
      .finally(() => this.settling.delete(settle));
    this.settling.add(settle);
  }

  private removeIfUnused(p: Prompt): void {
    if (p.category === 'music') this.files.removeMusic(p.id);
    else if (this.repo.hashUsers(p.hash) === 0) rmSync(this.files.prompt(p.hash), { force: true });
  }

  private refuseTakenName(name: string, self?: number): void {
    const other = this.repo.findByName(name);
    if (other && other.id !== self) throw new ValidationError('prompt.name_taken', { name: `A prompt named ${other.name} already exists.` });
  }

  private async refuseUnknownVoice(voice: string): Promise<void> {
    if (!(await voices()).has(voice)) throw new ValidationError('prompt.invalid', { voice: `espeak-ng has no voice "${voice}". Choose one from the list.` });
  }
}
