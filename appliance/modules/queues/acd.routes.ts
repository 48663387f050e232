import { Router } from 'express';
import { AppError, ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { liveSnapshot, streamTo } from './acd-live.js';
import type { AcdRunner } from './acd-runner.js';

/** /admin/queues/live: the supervisor's live view of queues and agents, updated by server push. */
export function liveRoutes(runner: AcdRunner): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));
  r.get('/', (_req, res) => res.render('admin/queues/live', { title: 'Live queues', live: liveSnapshot(runner) }));
  r.get('/events', (_req, res) => void streamTo(res, { changes: [(fn) => runner.onChange(fn)], snapshot: () => liveSnapshot(runner) }));
  // A supervisor can free an agent stuck in a state or send one on break, as the cloud consoles allow.
  r.post('/agents/:id/:action', (req, res) => {
    const id = idParam(req.params.id, 'agent');
    const by = `supervisor ${req.user!.username}`;
    try {
      if (req.params.action === 'logout') runner.logout(id, by);
      else if (req.params.action === 'ready') runner.ready(id, by);
      else if (req.params.action === 'not-ready') runner.notReady(id, 'Set by supervisor', by);
      else throw new ValidationError('agent.bad_action', { action: 'Unknown action.' });
      req.flash('success', 'Done.');
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      req.flash('error', e.message);
    }
    res.redirect(303, '/admin/queues/live');
  });
  return r;
}
