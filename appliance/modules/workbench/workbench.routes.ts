import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { AppError, ConflictError, ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Target } from '../calls/desk.js';
import { streamTo } from '../queues/acd-live.js';
import type { PageWatch } from '../queues/acd-pages.js';
import { extendCsp, requestOrigin, type PopCall } from '../screenpop/index.js';
import { agentHistory } from './workbench.history.js';
import { workbenchState, type WorkbenchDeps } from './workbench.state.js';
import type { WorkbenchTabs } from './workbench.tabs.js';

export interface WorkbenchRouteDeps extends WorkbenchDeps {
  pages: PageWatch;
  tabs: WorkbenchTabs;
  ledger: Ledger;
  breakReasons(): string[];
  switchStatus(): unknown;
  /** Where a call can be sent: for the transfer dialog. */
  targets(agentId: number): { agents: { id: number; name: string }[]; queues: { id: number; name: string }[]; flows: { id: number; name: string }[]; extensions: { number: string; name: string }[] };
  /** Pause (mask) or resume the recording of the agent's own call, and hear of recordings changing. */
  recordings: { pause(agentId: number, paused: boolean, by: string): Promise<void>; onChange(fn: (agentId: number | null) => void): () => void };
  /** The screen pops: what the page mounts, what each call opens, and the origins the page may frame. */
  pops: {
    mount(origin: string, workNo: string): unknown;
    forCall(call: PopCall, origin: string): unknown;
    origins(): string[];
  };
}

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const wantsJson = (req: Request) => req.get('accept')?.includes('application/json') ?? false;


/** What a blind or attended transfer names, from the dialog's fields. */
function targetOf(b: Record<string, unknown>): Target {
  const kind = text(b.kind, 20);
  const value = text(b.value, 40);
  const id = Number(value);
  const bad = () => new ValidationError('call.bad_target', { value: 'Choose where to send the call.' }, 'Choose where to send the call.');
  switch (kind) {
    case 'extension':
    case 'external':
      if (!value) throw bad();
      return { kind, number: value };
    case 'agent':
    case 'queue':
    case 'flow':
      if (!Number.isInteger(id) || id <= 0) throw bad();
      return { kind, id };
    default:
      throw bad();
  }
}

/** /agent: the agent's workbench. One page, live: it renders the state the server pushes and posts actions. */
export function workbenchRoutes(d: WorkbenchRouteDeps): Router {
  const r = Router();
  r.use(requireRole('agent', 'supervisor', 'admin'));
  const me = (req: Request) => {
    const m = d.agentOf(req.user!.id);
    if (!m) throw new ValidationError('agent.not_an_agent', {}, 'You are not set up as an agent.');
    return m;
  };
  const state = (req: Request, agentId: number) => workbenchState(d, agentId, me(req));

  /** An action: JSON for the page's script (the new state, or the error with its fields), a redirect for a form. */
  const act = (f: (agentId: number, req: Request) => unknown, done: string) => async (req: Request, res: Response) => {
    const m = me(req);
    try {
      if (!d.tabs.allows(m.id, req.get('x-workbench-tab'))) throw new ConflictError('workbench.inactive', {}, { message: 'This window is no longer your workbench: take it back first.' });
      await f(m.id, req);
      if (wantsJson(req)) return void res.json({ ok: true, message: done, state: state(req, m.id) });
      req.flash('success', done);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      if (wantsJson(req)) return void res.status(e.status).json({ ok: false, code: e.code, message: e.message, fields: e instanceof ValidationError ? e.fields : {} });
      req.flash('error', e.message);
    }
    res.redirect(303, '/agent');
  };
  const by = (req: Request) => `agent ${req.user!.username}`;

  r.get('/', (req, res) => {
    const m = d.agentOf(req.user!.id);
    const origin = requestOrigin(req);
    // Pop pages are framed, and POST pops are forms sent to them: only the allowed origins.
    res.set('Content-Security-Policy', extendCsp(String(res.get('Content-Security-Policy') ?? ''), d.pops.origins()));
    res.render('agent/home', {
      title: 'Workbench',
      layout: 'agent',
      user: req.user,
      freeswitch: d.switchStatus(),
      agent: m,
      breakReasons: d.breakReasons().filter((x) => x !== 'Missed call'),
      // In a script element: no "</script>" may close it early.
      boot: m ? JSON.stringify({ state: state(req, m.id), targets: d.targets(m.id), callerIds: d.calls.callerIds(m.id), pops: d.pops.mount(origin, m.number), browserPhone: m.browserPhone }).replace(/</g, '\\u003c') : null,
    });
  });

  r.get('/events', (req, res) => {
    const m = me(req);
    const tab = text(req.query.tab, 40) || randomBytes(8).toString('hex');
    d.pages.opened(m.id);
    const origin = requestOrigin(req);
    const stream = streamTo(res, {
      changes: [(fn) => d.runner.onChange(fn), (fn) => d.calls.onChange((id) => id === m.id && fn()), (fn) => d.recordings.onChange((id) => id === m.id && fn())],
      snapshot: () => {
        const s = state(req, m.id);
        return { ...s, popPages: s.pop ? d.pops.forCall(s.pop, origin) : null };
      },
      // Call controls answer at once: a short throttle only merges a burst of decisions into one update.
      throttleMs: 60,
      onClose: () => {
        d.tabs.close(m.id, tab);
        d.pages.closed(m.id);
      },
    });
    d.tabs.open(m.id, tab, `${req.ip ?? 'unknown address'}, ${new Date(d.runner.now()).toISOString().slice(11, 16)} UTC`, (why) => {
      stream.event('takeover', { message: why });
      res.end();
    });
  });

  r.get('/history', (req, res) => {
    const m = me(req);
    const before = Number(req.query.before);
    const h = agentHistory(d.ledger, m.id, Number.isFinite(before) && before > 0 ? before : d.runner.now() + 1, 20);
    res.json({ rows: h.rows.map((x) => ({ ...x, queue: x.queueId ? d.queueName(x.queueId) : null })), next: h.next });
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
      const last = d.runner.lastCallOf(id);
      if (!last?.queueId || !d.dispositions(last.queueId).includes(code)) throw new ValidationError('agent.bad_disposition', { code: 'Choose a disposition.' }, 'Choose a disposition for the call.');
      d.runner.disposition(id, code, text(body(req).note, 1000), by(req));
    }, 'Disposition saved.'),
  );

  // Call controls: the same for a desk phone and the browser phone (they act on the legs in FreeSWITCH).
  r.post('/call/hold', act((id, req) => d.calls.hold(id, by(req)), 'The caller is on hold.'));
  r.post('/call/unhold', act((id, req) => d.calls.unhold(id, by(req)), 'The caller is back.'));
  r.post('/call/mute', act((id, req) => d.calls.mute(id, true, by(req)), 'You are muted.'));
  r.post('/call/unmute', act((id, req) => d.calls.mute(id, false, by(req)), 'You are heard again.'));
  r.post('/call/dtmf', act((id, req) => d.calls.dtmf(id, text(body(req).digits, 32), by(req)), 'Keys sent.'));
  r.post('/call/hangup', act((id, req) => d.calls.hangup(id, by(req)), 'Call ended.'));
  r.post('/call/transfer', act((id, req) => d.calls.transfer(id, targetOf(body(req)), by(req)), 'Transferred.'));
  r.post('/call/consult', act((id, req) => d.calls.consult(id, targetOf(body(req)), by(req)), 'Calling…'));
  r.post('/call/complete', act((id, req) => d.calls.complete(id, by(req)), 'Transferred.'));
  r.post('/call/cancel', act((id, req) => d.calls.cancel(id, by(req)), 'Back with the caller.'));
  // Only the agent's own call: the recorder finds the recording by the agent it belongs to.
  r.post('/call/recording/pause', act((id, req) => d.recordings.pause(id, true, by(req)), 'Recording paused.'));
  r.post('/call/recording/resume', act((id, req) => d.recordings.pause(id, false, by(req)), 'Recording resumed.'));
  r.post('/call/conference', act((id, req) => d.calls.conference(id, by(req)), 'Three-way call.'));
  r.post(
    '/call/dial',
    act(async (id, req) => {
      const cid = text(body(req).callerId, 24);
      await d.calls.dial(id, text(body(req).number, 40), cid || null, by(req));
    }, 'Dialling…'),
  );
  return r;
}
