import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import type { ClickToCallService } from './click-to-call.service.js';
import { popCsp } from './origins.js';
import { paramRows, type ParamRowInput, type ScreenPopService } from './screenpop.service.js';
import { CALL_FIELDS, type ScreenPop } from './screenpop.types.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
const BASE = '/admin/screen-pops';

/** The origin agents reach this console at: the workbench's origin, which pops receive as `origin`. */
export const requestOrigin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

const LABELS = {
  openMode: { embed: 'Embed', window: 'Open standalone' },
  integration: { get: 'URL GET parameters', post: 'URL POST form', webapi: 'Web API (AICCSupport.js)' },
  trigger: { answer: 'On answer', ring: 'On ringing' },
} as const;
const options = <K extends keyof typeof LABELS>(k: K) => Object.entries(LABELS[k]).map(([value, label]) => ({ value, label }));

/** The form's parameter rows: what was typed (or saved), then blank rows up to the limit. */
function rowsFor(typed: ParamRowInput[], max: number, errors: Record<string, string> = {}) {
  return Array.from({ length: Math.max(max, typed.length) }, (_, i) => {
    const r = typed[i] ?? { name: '', source: 'call', key: '' };
    return { n: i + 1, ...r, isVar: r.source === 'var', error: errors[`param${i + 1}`] };
  });
}

const savedValues = (p: ScreenPop) => ({ name: p.name, url: p.url, openMode: p.openMode, integration: p.integration, trigger: p.trigger, isEnabled: p.isEnabled });

/** /admin/screen-pops: the CRM pages the workbench opens, their allowed origins, limits and click-to-call tokens. */
export function screenPopRoutes(svc: ScreenPopService, calls: ClickToCallService): Router {
  const r = Router();
  r.use(requireRole('admin'));

  const index = (res: Response, extra: Record<string, unknown> = {}) => {
    const limits = svc.limits();
    res.render('admin/screen-pops/index', {
      title: 'Screen pops',
      pops: svc.list().map((p, i, all) => ({
        ...p,
        no: i + 1,
        isFirst: i === 0,
        isLast: i === all.length - 1,
        openModeLabel: LABELS.openMode[p.openMode],
        integrationLabel: LABELS.integration[p.integration],
        triggerLabel: LABELS.trigger[p.trigger],
      })),
      origins: { origins: svc.origins().join('\n') },
      limits: { maxEnabledPops: String(limits.maxEnabledPops), maxParams: String(limits.maxParams) },
      tokens: calls.tokens(),
      tokenValues: {},
      ...extra,
    });
  };

  const form = (res: Response, f: { pop: ScreenPop | null; values: Record<string, unknown>; rows: ParamRowInput[]; errors?: Record<string, string> }) => {
    const max = svc.limits().maxParams;
    res.render('admin/screen-pops/form', {
      title: f.pop ? `Screen pop ${f.pop.name}` : 'New screen pop',
      pop: f.pop,
      action: f.pop ? `${BASE}/${f.pop.id}` : BASE,
      values: f.values,
      errors: f.errors,
      rows: rowsFor(f.rows, max, f.errors),
      maxParams: max,
      origins: svc.origins(),
      callFields: CALL_FIELDS,
      openModes: options('openMode'),
      integrations: options('integration'),
      triggers: options('trigger'),
    });
  };

  r.get('/', (_req, res) => index(res));

  r.get('/new', (_req, res) => form(res, { pop: null, values: { openMode: 'embed', integration: 'get', trigger: 'answer', isEnabled: true }, rows: [] }));

  r.post('/', (req, res) => {
    try {
      const p = svc.create(body(req), req.actor());
      req.flash('success', `Screen pop ${p.name} added${p.isEnabled ? ': agents get it from their next call' : ''}.`);
      res.redirect(303, BASE);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      form(res, { pop: null, values: { ...body(req), isEnabled: body(req).isEnabled !== undefined }, rows: paramRows(body(req)), errors: e.fields });
    }
  });

  r.post('/origins', (req, res) => {
    try {
      const list = svc.setOrigins(body(req), req.actor());
      req.flash('success', `${list.length} allowed origin(s) saved.`);
      res.redirect(303, BASE);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      index(res, { origins: body(req), originErrors: e.fields });
    }
  });

  r.post('/limits', (req, res) => {
    try {
      svc.setLimits(body(req), req.actor());
      req.flash('success', 'Limits saved.');
      res.redirect(303, BASE);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      index(res, { limits: body(req), limitErrors: e.fields });
    }
  });

  r.post('/tokens', (req, res) => {
    try {
      const { token, record } = calls.createToken(body(req), req.actor());
      // Rendered, not redirected: the token must not be stored anywhere, not even in a flash message.
      res.status(201).render('admin/screen-pops/token', { title: `Click-to-call token ${record.name}`, token, record });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      index(res, { tokenValues: body(req), tokenErrors: e.fields });
    }
  });

  r.post('/tokens/:id/revoke', (req, res) => {
    const t = calls.revokeToken(idParam(req.params.id, 'token'), req.actor());
    req.flash('success', `Token ${t.name} revoked: CRMs using it are refused from now on.`);
    res.redirect(303, BASE);
  });

  r.get('/:id', (req, res) => {
    const p = svc.get(idParam(req.params.id, 'screen pop'));
    form(res, { pop: p, values: savedValues(p), rows: p.params.map((x) => ({ name: x.name, source: x.source, key: x.key })) });
  });

  r.post('/:id', (req, res) => {
    const p = svc.get(idParam(req.params.id, 'screen pop'));
    try {
      svc.update(p.id, body(req), req.actor());
      req.flash('success', `Screen pop ${p.name} saved.`);
      res.redirect(303, BASE);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      form(res, { pop: p, values: { ...body(req), isEnabled: body(req).isEnabled !== undefined }, rows: paramRows(body(req)), errors: e.fields });
    }
  });

  for (const [action, isEnabled] of [['enable', true], ['disable', false]] as const) {
    r.post(`/:id/${action}`, (req, res) => {
      const p = svc.get(idParam(req.params.id, 'screen pop'));
      if (!unlessRefused(req, res, BASE, () => svc.setEnabled(p.id, isEnabled, req.actor()))) return;
      req.flash('success', isEnabled ? `${p.name} pops up from the next call.` : `${p.name} no longer pops up.`);
      res.redirect(303, BASE);
    });
  }

  for (const direction of ['up', 'down'] as const) {
    r.post(`/:id/${direction}`, (req, res) => {
      svc.move(idParam(req.params.id, 'screen pop'), direction, req.actor());
      res.redirect(303, BASE);
    });
  }

  r.post('/:id/delete', (req, res) => {
    const p = svc.get(idParam(req.params.id, 'screen pop'));
    svc.delete(p.id, req.actor());
    req.flash('success', `Screen pop ${p.name} deleted.`);
    res.redirect(303, BASE);
  });

  // The test page frames the pop (or posts into a frame), so its CSP admits the allowed origins, as the workbench's does.
  r.get('/:id/test', popCsp(() => svc.origins()), async (req, res) => {
    const { pop, built, check } = await svc.test(idParam(req.params.id, 'screen pop'), requestOrigin(req));
    res.render('admin/screen-pops/test', { title: `Test pop ${pop.name}`, pop, built, check, isPost: pop.integration === 'post', isWindow: pop.openMode === 'window' });
  });

  return r;
}
