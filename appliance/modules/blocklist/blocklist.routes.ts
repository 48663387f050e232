import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import type { BlocklistService } from './blocklist.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** /admin/blocklist: callers refused, or sent to one extension, before any number routing. */
export function blocklistRoutes(svc: BlocklistService, extensions: () => { id: number; number: string; displayName: string }[]): Router {
  const r = Router();
  r.use(requireRole('admin'));
  const view = (extra: object) => {
    const list = extensions();
    const names = new Map(list.map((e) => [e.id, `${e.number} · ${e.displayName}`]));
    return {
      title: 'Blocklist',
      entries: svc.list().map((b) => ({ ...b, destination: b.action === 'reject' ? 'Rejected' : `Sent to extension ${names.get(b.destinationExtensionId!) ?? '?'}` })),
      actionOptions: [
        { value: 'reject', label: 'Reject the call' },
        { value: 'extension', label: 'Send it to an extension' },
      ],
      extensionOptions: [{ value: '', label: 'Choose an extension' }, ...list.map((e) => ({ value: String(e.id), label: `${e.number} · ${e.displayName}` }))],
      ...extra,
    };
  };

  r.get('/', (_req, res) => res.render('admin/blocklist/index', view({ values: { action: 'reject' } })));

  r.post('/', (req, res) => {
    try {
      const b = svc.add(body(req), req.actor());
      req.flash('success', `Callers ${b.pattern} are blocked; FreeSWITCH is being updated.`);
      res.redirect(303, '/admin/blocklist');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/blocklist/index', view({ values: body(req), errors: e.fields }));
    }
  });

  r.post('/:id/delete', (req, res) => {
    svc.remove(idParam(req.params.id, 'entry'), req.actor());
    req.flash('success', 'Removed from the blocklist.');
    res.redirect(303, '/admin/blocklist');
  });
  return r;
}
