import { Router, type Request, type Response } from 'express';
import { rmSync } from 'node:fs';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../errors.js';
import { sendAudio } from '../../http/audio.js';
import { requireRole } from '../../http/middleware/auth.js';
import { readUpload } from '../../http/multipart.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { PromptService } from './prompts.service.js';
import { MAX_UPLOAD_BYTES, type Prompt } from './prompts.types.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
/** The recorder posts with fetch and asks for JSON; a plain form gets pages. */
const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';
const categoryOptions = [
  { value: 'prompt', label: 'Prompt (played in flows)' },
  { value: 'music', label: 'Music on hold (its own music class)' },
];
const TOO_BIG = `This file is too big: uploads may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Nothing was saved.`;

/** What the pages show of a prompt besides its row. */
const view = (p: Prompt) => ({
  ...p,
  seconds: p.durationMs === null ? null : p.durationMs / 1000,
  sourceLabel: p.source === 'tts' ? 'Text to speech' : p.source === 'recording' ? 'Recording' : 'Upload',
  categoryLabel: p.category === 'music' ? 'Music on hold' : 'Prompt',
  stream: p.category === 'music' ? `local_stream://music_${p.id}` : null,
});

/** /admin/prompts: staff listen; admins upload, record, speak, rename and delete. */
export function promptRoutes(svc: PromptService): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));
  const admin = requireRole('admin');

  async function index(req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) {
    const result = svc.list(req.query);
    res.status(status).render('admin/prompts/index', {
      title: 'Prompts',
      result: { ...result, items: result.items.map(view) },
      voices: await svc.voiceOptions(),
      categoryOptions,
      canEdit: req.user!.role === 'admin',
      maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
      speechValues: { voice: 'en-us', rate: 160, volume: 100 },
      uploadValues: { category: 'prompt' },
      ...extra,
    });
  }

  async function show(req: Request, res: Response, p: Prompt, status = 200, extra: Record<string, unknown> = {}) {
    res.status(status).render('admin/prompts/show', {
      title: p.name,
      prompt: view(p),
      values: { name: p.name, ...p.speech },
      voices: p.speech ? await svc.voiceOptions() : [],
      usedBy: svc.usersOf(p.id),
      canEdit: req.user!.role === 'admin',
      ...extra,
    });
  }

  r.get('/', (req, res) => index(req, res));

  r.get('/default-music.wav', (_req, res) => sendAudio(res, svc.defaultMusic()));

  // The pages poll this while something renders, and reload when it settles.
  r.get('/status.json', (req, res) => {
    const ids = String(req.query.ids ?? '').split(',').filter((s) => /^[1-9]\d{0,15}$/.test(s)).slice(0, 100).map(Number);
    res.json({ prompts: ids.map((id) => svc.get(id)).filter((p) => p !== null).map((p) => ({ id: p.id, status: p.status, error: p.error })) });
  });

  r.post('/upload', admin, async (req, res) => {
    const target = svc.files.incoming('.upload');
    let values: Record<string, string> = {};
    try {
      const { fields, file } = await readUpload(req, { field: 'file', target, maxBytes: MAX_UPLOAD_BYTES, tooBig: TOO_BIG });
      values = fields;
      const p = await svc.upload({ ...fields, originalName: file?.originalName ?? null, file: file?.path ?? null }, req.actor());
      // The recorder goes to the url it is given: the message waits there for it.
      req.flash('success', `${p.category === 'music' ? 'Hold music' : 'Prompt'} ${p.name} saved.`);
      if (wantsJson(req)) return void res.status(201).json({ id: p.id, name: p.name, url: `/admin/prompts/${p.id}` });
      res.redirect(303, `/admin/prompts/${p.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError || e instanceof PayloadTooLargeError)) throw e;
      const fields = e instanceof ValidationError ? e.fields : { file: e.message };
      if (wantsJson(req)) return void res.status(e.status).json({ code: e.code, message: e.message, fields });
      await index(req, res, e.status, { uploadErrors: fields, uploadValues: { category: 'prompt', ...values }, formError: e instanceof PayloadTooLargeError ? e.message : undefined });
    } finally {
      rmSync(target, { force: true });
    }
  });

  r.post('/speech', admin, async (req, res) => {
    try {
      const p = await svc.createSpeech(body(req), req.actor());
      req.flash('success', `Prompt ${p.name} is being spoken; it is ready to play in a moment.`);
      res.redirect(303, `/admin/prompts/${p.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      await index(req, res, 422, { speechValues: body(req), speechErrors: e.fields });
    }
  });

  r.get('/:id', async (req, res) => show(req, res, svc.find(idParam(req.params.id, 'prompt'))));

  // Range requests are answered (206), so the player can seek.
  r.get('/:id/audio.wav', (req, res) => {
    const file = svc.fileOf(idParam(req.params.id, 'prompt'));
    if (!file) throw new NotFoundError('prompt.no_audio', {}, { message: 'This prompt has no audio to play yet.' });
    sendAudio(res, file);
  });

  r.post('/:id', admin, async (req, res) => {
    const p = svc.find(idParam(req.params.id, 'prompt'));
    try {
      const after = await svc.update(p.id, body(req), req.actor());
      req.flash('success', after.status === 'rendering' ? `Prompt ${after.name} saved; it is being spoken again.` : `Prompt ${after.name} saved.`);
      res.redirect(303, `/admin/prompts/${p.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      await show(req, res, p, 422, { values: body(req), errors: e.fields });
    }
  });

  r.post('/:id/delete', admin, (req, res) => {
    const p = svc.find(idParam(req.params.id, 'prompt'));
    if (!unlessRefused(req, res, `/admin/prompts/${p.id}`, () => svc.delete(p.id, req.actor()))) return;
    req.flash('success', `${p.category === 'music' ? 'Hold music' : 'Prompt'} ${p.name} deleted.`);
    res.redirect(303, '/admin/prompts');
  });

  return r;
}
