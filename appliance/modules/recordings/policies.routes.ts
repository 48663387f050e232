import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { DiskStatus } from './disk-guard.js';
import type { PolicyService } from './policies.service.js';
import type { RecordingPolicy } from './recordings.types.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

const modeOptions = [
  { value: 'always', label: 'Always: every call' },
  { value: 'percent', label: 'A percentage of calls (sampling)' },
  { value: 'never', label: 'Never (overrides a number\'s or queue\'s policy)' },
];
const startOptions = [
  { value: 'answer', label: "From the agent's answer" },
  { value: 'call', label: 'The whole call, from the number\'s answer (IVR included; numbers only)' },
];
const newValues = { mode: 'always', start: 'answer', stereo: true, retentionDays: '90', percent: '' };
const formValues = (p: RecordingPolicy) => ({ ...p, percent: p.percent === null ? '' : String(p.percent), retentionDays: String(p.retentionDays) });

/** /admin/recording-policies: which calls are recorded, how, and for how long; and the disk guard's threshold. */
export function policyRoutes(svc: PolicyService, disk: () => Promise<DiskStatus | null>): Router {
  const r = Router();
  r.use(requireRole('admin'));
  const index = async (extra: Record<string, unknown> = {}) => ({ title: 'Recording policies', policies: svc.list(), disk: await disk(), settings: { minFreeMb: String(svc.minFreeMb()) }, ...extra });
  const form = (title: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ title, values, modeOptions, startOptions, ...extra });

  r.get('/', async (_req, res) => res.render('admin/recording-policies/index', await index()));

  r.post('/settings', async (req, res) => {
    try {
      svc.saveSettings(body(req), req.actor());
      req.flash('success', 'Recording settings saved.');
      res.redirect(303, '/admin/recording-policies');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/recording-policies/index', await index({ settings: body(req), errors: e.fields }));
    }
  });

  r.get('/new', (_req, res) => res.render('admin/recording-policies/form', form('New recording policy', newValues, { isNew: true })));

  r.post('/', (req, res) => {
    try {
      const p = svc.create(body(req), req.actor());
      req.flash('success', `Recording policy ${p.name} added: choose it on numbers, queues or agents.`);
      res.redirect(303, '/admin/recording-policies');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/recording-policies/form', form('New recording policy', body(req), { isNew: true, errors: e.fields }));
    }
  });

  r.get('/:id', (req, res) => {
    const p = svc.get(idParam(req.params.id, 'recording_policy'));
    res.render('admin/recording-policies/form', form(`Recording policy ${p.name}`, formValues(p), { policy: p, usedBy: svc.list().find((x) => x.id === p.id)?.usedBy ?? [] }));
  });

  r.post('/:id', (req, res) => {
    const p = svc.get(idParam(req.params.id, 'recording_policy'));
    try {
      const after = svc.update(p.id, body(req), req.actor());
      req.flash('success', `Recording policy ${after.name} saved; it applies to recordings that start from now on.`);
      res.redirect(303, '/admin/recording-policies');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/recording-policies/form', form(`Recording policy ${p.name}`, body(req), { policy: p, errors: e.fields, usedBy: svc.list().find((x) => x.id === p.id)?.usedBy ?? [] }));
    }
  });

  r.post('/:id/delete', (req, res) => {
    const p = svc.get(idParam(req.params.id, 'recording_policy'));
    if (!unlessRefused(req, res, `/admin/recording-policies/${p.id}`, () => svc.delete(p.id, req.actor()))) return;
    req.flash('success', `Recording policy ${p.name} deleted.`);
    res.redirect(303, '/admin/recording-policies');
  });
  return r;
}
