import { Router, type Request, type Response } from 'express';
import { AppError, ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { liveSnapshot, STATE_LABELS, streamTo } from './acd-live.js';
import type { PageWatch } from './acd-pages.js';
import type { AcdRunner } from './acd-runner.js';
import type { AgentView } from './engine/types.js';

export interface AgentPageDeps {
  runner: AcdRunner;
  pages: PageWatch;
  /** The agent record of a console user, if they are one. */
  agentOf(userId: number): { id: number; number: string; device: string } | null;
  breakReasons(): string[];
  /** The disposition codes of the queue of the agent's last call. */
  dispositions(agentId: number): string[];
  switchStatus(): unknown;
}

/** What the agent's page shows of the state: the page reloads when it changes (agent.js builds the same key). */
const pageKey = (a: AgentView) => [a.state, a.state === 'not_ready' ? a.reason : null, a.since, a.deviceUp, a.needsDisposition, JSON.stringify(a.pending)].join('|');

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** /admin/queues/live: the supervisor's live view of queues and agents, updated by server push. */
export function liveRoutes(runner: AcdRunner): Router {
  const r = Router();
  r.use(requireRole('admin', 'supervisor'));
  r.get('/', (_req, res) => res.render('admin/queues/live', { title: 'Live queues', live: liveSnapshot(runner) }));
  r.get('/events', (_req, res) => streamTo(res, runner, () => liveSnapshot(runner)));
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

/** /agent: the agent's own page: state, breaks, wrap-up with its disposition. */
export function workbenchRoutes(d: AgentPageDeps): Router {
  const r = Router();
  r.use(requireRole('agent', 'supervisor', 'admin'));
  const view = (req: Request) => {
    const me = d.agentOf(req.user!.id);
    const a = me ? d.runner.acd.agent(me.id) : undefined;
    return {
      title: 'Workbench',
      layout: 'agent',
      user: req.user,
      freeswitch: d.switchStatus(),
      agent: me && a ? { ...me, state: a.state, label: STATE_LABELS[a.state], reason: a.state === 'not_ready' ? a.reason : null, since: a.since, deviceUp: a.deviceUp, wrapUpUntil: a.wrapUpUntil, needsDisposition: a.needsDisposition, pending: a.pending, key: pageKey(a) } : null,
      isLoggedOut: a?.state === 'logged_out',
      isWrapUp: a?.state === 'wrap_up',
      breakReasons: d.breakReasons().filter((x) => x !== 'Missed call'),
      dispositions: me ? d.dispositions(me.id) : [],
    };
  };
  const me = (req: Request) => {
    const m = d.agentOf(req.user!.id);
    if (!m) throw new ValidationError('agent.not_an_agent', {}, 'You are not set up as an agent.');
    return m;
  };
  const act = (f: (agentId: number, req: Request) => void, done: string) => (req: Request, res: Response) => {
    try {
      f(me(req).id, req);
      req.flash('success', done);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      req.flash('error', e.message);
    }
    res.redirect(303, '/agent');
  };
  const by = (req: Request) => `agent ${req.user!.username}`;

  r.get('/', (req, res) => res.render('agent/home', view(req)));
  r.get('/events', (req, res) => {
    const m = me(req);
    d.pages.opened(m.id);
    // Each change reaches every open page: only the engine's view of this agent is read, never the database.
    const key = () => {
      const a = d.runner.acd.agent(m.id);
      return a ? { key: pageKey(a) } : null;
    };
    streamTo(res, d.runner, () => ({ now: d.runner.now(), agent: key() }), () => d.pages.closed(m.id));
  });
  r.post('/login', act((id, req) => d.runner.login(id, by(req)), 'You are logged in and ready.'));
  r.post('/logout', act((id, req) => d.runner.logout(id, by(req)), 'You are logged out (after your current call, if any).'));
  r.post('/ready', act((id, req) => d.runner.ready(id, by(req)), 'You are ready.'));
  r.post(
    '/not-ready',
    act((id, req) => {
      const reason = text(body(req).reason, 60);
      if (!d.breakReasons().includes(reason) || reason === 'Missed call') throw new ValidationError('agent.bad_reason', { reason: 'Choose a reason.' }, 'Choose a reason for the break.');
      d.runner.notReady(id, reason, by(req));
    }, 'You are not ready.'),
  );
  r.post(
    '/disposition',
    act((id, req) => {
      const code = text(body(req).code, 40);
      if (!d.dispositions(id).includes(code)) throw new ValidationError('agent.bad_disposition', { code: 'Choose a disposition.' }, 'Choose a disposition for the call.');
      d.runner.disposition(id, code, text(body(req).note, 1000), by(req));
    }, 'Disposition saved.'),
  );
  return r;
}
