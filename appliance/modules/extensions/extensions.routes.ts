import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { sendAudio } from '../../http/audio.js';
import { mountCsv } from '../../http/csv-routes.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { ExtensionService } from './extensions.service.js';
import type { VoicemailService } from './voicemail.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const classOptions = [
  { value: 'internal', label: 'Internal only (other extensions)' },
  { value: 'local', label: 'Local numbers' },
  { value: 'national', label: 'National numbers' },
  { value: 'international', label: 'International numbers' },
];

/** /admin/extensions: admins manage the numbers phones register as. */
export function extensionRoutes(svc: ExtensionService, voicemail: VoicemailService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.get('/', (req, res) => {
    res.render('admin/extensions/index', { title: 'Extensions', result: svc.list(req.query) });
  });

  mountCsv(r, {
    what: 'extensions',
    base: '/admin/extensions',
    filename: 'extensions.csv',
    columns: 'number,name,dnd,enabled,class',
    example: '1001,Reception,no,yes,national',
    export: () => svc.exportCsv(),
    import: (text, actor) => {
      const created = svc.importCsv(text, actor);
      return { summary: `${created.length} extension(s) imported.`, created: created.map((c) => ({ label: `${c.extension.number} · ${c.extension.displayName}`, secret: c.sipPassword })) };
    },
  });

  r.get('/new', (_req, res) => {
    res.render('admin/extensions/form', { title: 'New extension', values: { isEnabled: true, callClass: 'national', noAnswerSeconds: 20, voicemailEnabled: true }, isNew: true, classOptions });
  });

  r.post('/', (req, res) => {
    try {
      const { extension, sipPassword } = svc.create(body(req), req.actor());
      // The password is shown on this response only: never stored in a flash message, never cached.
      res.set('Cache-Control', 'no-store');
      res.status(201).render('admin/extensions/password', { title: `Extension ${extension.number}`, extension, sipPassword, created: true });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/extensions/form', { title: 'New extension', values: body(req), errors: e.fields, isNew: true, classOptions });
    }
  });

  r.get('/:id', async (req, res) => {
    const extension = svc.get(idParam(req.params.id, 'extension'));
    res.render('admin/extensions/form', { title: `Extension ${extension.number}`, extension, values: extension, classOptions, box: await voicemail.messages(extension.id) });
  });

  // A message's audio, with range requests so the player can seek.
  r.get('/:id/voicemail/:message.wav', async (req, res) => {
    sendAudio(res, await voicemail.audioFile(idParam(req.params.id, 'extension'), String(req.params.message)));
  });

  r.post('/:id/voicemail/:message/delete', async (req, res) => {
    const id = idParam(req.params.id, 'extension');
    await voicemail.delete(id, String(req.params.message), req.actor());
    req.flash('success', 'Voicemail message deleted.');
    res.redirect(303, `/admin/extensions/${id}`);
  });

  r.post('/:id', async (req, res) => {
    const extension = svc.get(idParam(req.params.id, 'extension'));
    try {
      if (!unlessRefused(req, res, `/admin/extensions/${extension.id}`, () => svc.update(extension.id, body(req), req.actor()))) return;
      req.flash('success', `Extension ${String(body(req).number)} saved.`);
      res.redirect(303, `/admin/extensions/${extension.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/extensions/form', { title: `Extension ${extension.number}`, extension, values: body(req), errors: e.fields, classOptions, box: await voicemail.messages(extension.id) });
    }
  });

  r.post('/:id/reset-password', (req, res) => {
    const { extension, sipPassword } = svc.resetPassword(idParam(req.params.id, 'extension'), req.actor());
    res.set('Cache-Control', 'no-store');
    res.render('admin/extensions/password', { title: `Extension ${extension.number}`, extension, sipPassword, created: false });
  });

  r.post('/:id/delete', (req, res) => {
    const extension = svc.get(idParam(req.params.id, 'extension'));
    if (!unlessRefused(req, res, `/admin/extensions/${extension.id}`, () => svc.delete(extension.id, req.actor()))) return;
    req.flash('success', `Extension ${extension.number} deleted.`);
    res.redirect(303, '/admin/extensions');
  });

  return r;
}
