import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { AgentService, AgentSummary } from './agents.service.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** What the agent forms offer to choose from, through the other modules' services (wired in app.ts). */
export interface AgentChoices {
  extensions(): { id: number; number: string; displayName: string }[];
  skills(): { id: number; name: string }[];
  queues(): { id: number; name: string }[];
  recordingPolicies(): { id: number; name: string; summary: string }[];
}

const deviceOptions = [
  { value: 'extension', label: 'An extension (desk phone or browser phone)' },
  { value: 'external', label: 'An outside number (mobile or home phone)' },
];
const levelOptions = [{ value: '', label: '—' }, ...Array.from({ length: 10 }, (_, i) => ({ value: String(10 - i), label: `${10 - i}${i === 0 ? ' (best)' : ''}` }))];
const deviceText = (a: AgentSummary) => (a.device.kind === 'extension' ? `Extension ${a.device.extension}` : a.device.number);

/** A stored agent as the details form's fields. */
function detailValues(a: AgentSummary): Record<string, unknown> {
  return { userId: String(a.userId), number: a.number, deviceKind: a.device.kind, extensionId: a.device.kind === 'extension' ? String(a.device.extensionId) : '', externalNumber: a.device.kind === 'external' ? a.device.number : '', recordingPolicyId: a.recordingPolicyId === null ? '' : String(a.recordingPolicyId) };
}

interface PageForms {
  details?: { values: Record<string, unknown>; errors: Record<string, string> };
  pin?: Record<string, string>;
  skills?: { values: Record<string, unknown>; errors: Record<string, string> };
  queues?: Record<string, string>;
}

/** /admin/agents: staff manage who takes queue calls, on which phone, with which skills, in which queues. */
export function agentAdminRoutes(svc: AgentService, choices: AgentChoices): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));

  const userOptions = (self: number | null) => [{ value: '', label: 'Choose a user' }, ...svc.userOptions(self).map((u) => ({ value: String(u.id), label: `${u.displayName} (${u.username}, ${u.role})` }))];
  const extensionOptions = () => [{ value: '', label: 'Choose an extension' }, ...choices.extensions().map((e) => ({ value: String(e.id), label: `${e.number} · ${e.displayName}` }))];

  const index = (req: Request, res: Response, form: { values: Record<string, unknown>; errors?: Record<string, string> } = { values: { deviceKind: 'extension' } }) => {
    const result = svc.list(req.query);
    const skills = new Map(choices.skills().map((s) => [s.id, s.name]));
    const queues = new Map(choices.queues().map((q) => [q.id, q.name]));
    res.render('admin/agents/index', {
      title: 'Agents',
      result: {
        ...result,
        items: result.items.map((a) => ({
          ...a,
          deviceText: deviceText(a),
          skillList: a.skills.map((s) => `${skills.get(s.skillId) ?? '?'} ${s.level}`).join(', '),
          queueList: a.queues.map((q) => queues.get(q.queueId) ?? '?').join(', '),
        })),
      },
      values: form.values,
      errors: form.errors,
      userOptions: userOptions(null),
      deviceOptions,
      extensionOptions: extensionOptions(),
    });
  };

  const page = (res: Response, id: number, forms: PageForms = {}) => {
    const a = svc.summary(id);
    const levels = new Map(a.skills.map((s) => [s.skillId, s.level]));
    const serving = new Map(a.queues.map((q) => [q.queueId, q.position]));
    const skillValues = forms.skills?.values ?? Object.fromEntries(a.skills.map((s) => [`level_${s.skillId}`, String(s.level)]));
    res.render('admin/agents/show', {
      title: `Agent ${a.number}`,
      agent: { ...a, deviceText: deviceText(a) },
      values: forms.details?.values ?? detailValues(a),
      errors: forms.details?.errors,
      pinErrors: forms.pin,
      skillErrors: forms.skills?.errors,
      queueErrors: forms.queues,
      userOptions: userOptions(id),
      deviceOptions,
      extensionOptions: extensionOptions(),
      policyOptions: [{ value: '', label: "None: the queue's or number's policy applies" }, ...choices.recordingPolicies().map((p) => ({ value: String(p.id), label: `${p.name}: ${p.summary}` }))],
      skills: choices.skills().map((s) => ({ ...s, field: `level_${s.id}`, level: levels.get(s.id) ?? null })),
      skillValues,
      levelOptions,
      queues: choices.queues().map((q) => ({ ...q, isMember: serving.has(q.id), position: serving.get(q.id) ?? null })),
    });
  };

  /** Run one of the agent page's forms; a refused one re-renders the page with its errors. */
  const change = async (req: Request, res: Response, id: number, done: string, run: () => unknown, refused: (e: ValidationError) => PageForms) => {
    try {
      await run();
      req.flash('success', done);
      res.redirect(303, `/admin/agents/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      page(res, id, refused(e));
    }
  };

  r.get('/', (req, res) => index(req, res));

  r.post('/', async (req, res) => {
    try {
      const a = await svc.create(body(req), req.actor());
      req.flash('success', `Agent ${a.number} (${a.name}) created. Give them skills and queues below.`);
      res.redirect(303, `/admin/agents/${a.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      // The PIN is never sent back, even in a refused form.
      index(req, res, { values: { ...body(req), pin: '' }, errors: e.fields });
    }
  });

  r.get('/:id', (req, res) => page(res, idParam(req.params.id, 'agent')));

  r.post('/:id', async (req, res) => {
    const id = idParam(req.params.id, 'agent');
    await change(req, res, id, 'Agent saved.', () => svc.update(id, body(req), req.actor()), (e) => ({ details: { values: body(req), errors: e.fields } }));
  });

  r.post('/:id/pin', async (req, res) => {
    const id = idParam(req.params.id, 'agent');
    await change(req, res, id, 'New PIN set. It is not shown again: give it to the agent now.', () => svc.setPin(id, body(req), req.actor()), (e) => ({ pin: e.fields }));
  });

  r.post('/:id/skills', async (req, res) => {
    const id = idParam(req.params.id, 'agent');
    await change(req, res, id, 'Skills saved.', () => svc.setSkills(id, body(req), req.actor()), (e) => ({ skills: { values: body(req), errors: e.fields } }));
  });

  r.post('/:id/queues', async (req, res) => {
    const id = idParam(req.params.id, 'agent');
    await change(req, res, id, 'Queues saved.', () => svc.memberships.setQueues(id, body(req), req.actor()), (e) => ({ queues: e.fields }));
  });

  r.post('/:id/delete', (req, res) => {
    const a = svc.get(idParam(req.params.id, 'agent'));
    if (!unlessRefused(req, res, `/admin/agents/${a.id}`, () => svc.delete(a.id, req.actor()))) return;
    req.flash('success', `Agent ${a.number} (${a.name}) deleted.`);
    res.redirect(303, '/admin/agents');
  });

  return r;
}
