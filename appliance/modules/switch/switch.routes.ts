import { Router } from 'express';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { NotFoundError } from '../../errors.js';
import type { SwitchService } from './switch.service.js';

/** /admin/freeswitch: the switch, live; the configuration revisions and their diffs; publish now. */
export function switchRoutes(svc: SwitchService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  r.get('/', async (req, res) => {
    const page = Number(req.query.page) > 0 ? Number(req.query.page) : 1;
    res.render('admin/freeswitch/index', { title: 'FreeSWITCH', live: await svc.live(), revisions: svc.revisions(page) });
  });

  r.get('/live.json', async (_req, res) => {
    res.json(await svc.live());
  });

  r.post('/publish', async (req, res) => {
    const result = await svc.publish(req.actor());
    if (result.status === 'failed') req.flash('error', `Revision ${result.revision} failed: ${result.error}`);
    else if (result.status === 'unchanged') req.flash('info', `Nothing changed (revision ${result.revision}).`);
    else req.flash('success', `Revision ${result.revision} published: ${result.changed.length} file(s) changed; ${result.actions.join('; ') || 'no action needed'}.`);
    res.redirect(303, `/admin/freeswitch/revisions/${result.revision}`);
  });

  r.get('/revisions/:id', (req, res) => {
    const rev = svc.revision(idParam(req.params.id, 'revision'));
    if (!rev) throw new NotFoundError('revision.not_found', {}, { message: 'No such configuration revision.' });
    const lines = rev.diff.split('\n').map((text) => ({
      text,
      kind: text.startsWith('+++') || text.startsWith('---') || text.startsWith('Index:') || text.startsWith('===') ? 'file' : text.startsWith('@@') ? 'hunk' : text.startsWith('+') ? 'add' : text.startsWith('-') ? 'del' : 'same',
    }));
    res.render('admin/freeswitch/revision', { title: `Configuration revision ${rev.id}`, rev, lines });
  });

  return r;
}
