import { Router, type Request } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { mountCsv } from '../../http/csv-routes.js';
import { idParam } from '../../http/params.js';
import { unlessRefused } from '../../http/refusal.js';
import { DESTINATIONS } from './destinations.js';
import { CSV_COLUMNS, CSV_EXAMPLE } from './numbers.csv.js';
import { destinationOptions, formValues, hourRows, newNumberValues, zoneOptions } from './numbers.form.js';
import type { NumberService } from './numbers.service.js';
import type { NumberRoute } from './numbers.types.js';
import type { ScheduleStatus } from './open-now.js';

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

export interface NumberChoices {
  trunks(): { id: number; name: string }[];
  extensions(): { id: number; number: string; displayName: string }[];
  flows(): { id: number; name: string; published: number | null }[];
  recordingPolicies(): { id: number; name: string; summary: string }[];
}

function openText(s: ScheduleStatus): string {
  if (s.why === 'no schedule') return 'always';
  if (s.why === 'holiday') return `holiday${s.holiday?.label ? `: ${s.holiday.label}` : ''}`;
  return s.why;
}

/** /admin/numbers: the numbers callers dial, where their calls go in and after hours, and their switches. */
export function numberRoutes(svc: NumberService, choices: NumberChoices): Router {
  const r = Router();
  r.use(requireRole('admin'));
  const names = () => ({
    trunk: new Map(choices.trunks().map((t) => [t.id, t.name])),
    extension: new Map(choices.extensions().map((e) => [e.id, `${e.number} · ${e.displayName}`])),
    flow: new Map(choices.flows().map((f) => [f.id, f.name])),
  });
  const form = (title: string, values: Record<string, unknown>, errors?: Record<string, string>) => ({
    title,
    values,
    errors,
    trunkOptions: choices.trunks().map((t) => ({ value: String(t.id), label: t.name })),
    extensionOptions: [{ value: '', label: 'Choose an extension' }, ...choices.extensions().map((e) => ({ value: String(e.id), label: `${e.number} · ${e.displayName}` }))],
    flowOptions: [{ value: '', label: 'Choose a flow' }, ...choices.flows().map((f) => ({ value: String(f.id), label: f.published ? f.name : `${f.name} (not published yet)` }))],
    destinationOptions,
    policyOptions: [{ value: '', label: 'None: not recorded (unless a queue or agent policy says so)' }, ...choices.recordingPolicies().map((p) => ({ value: String(p.id), label: `${p.name}: ${p.summary}` }))],
    zoneOptions: zoneOptions(values.timezone),
    hours: hourRows(values, errors),
  });
  const describe = (n: NumberRoute, which: 'destination' | 'afterHours', known: ReturnType<typeof names>) => {
    const [kind, extensionId, flowId] = which === 'destination' ? [n.destinationKind, n.destinationExtensionId, n.destinationFlowId] : [n.afterHoursKind, n.afterHoursExtensionId, n.afterHoursFlowId];
    return DESTINATIONS[kind].describe(flowId ? (known.flow.get(flowId) ?? null) : extensionId ? (known.extension.get(extensionId) ?? null) : null);
  };

  r.get('/', (_req, res) => {
    const known = names();
    const numbers = svc.list().map((n) => {
      const open = svc.openNow(n);
      return { ...n, trunkName: known.trunk.get(n.trunkId) ?? '?', destination: describe(n, 'destination', known), afterHours: n.schedule ? describe(n, 'afterHours', known) : null, open, openText: openText(open) };
    });
    res.render('admin/numbers/index', { title: 'Numbers', numbers, hasTrunks: known.trunk.size > 0 });
  });

  mountCsv(r, {
    what: 'numbers',
    base: '/admin/numbers',
    filename: 'numbers.csv',
    columns: CSV_COLUMNS.join(','),
    example: CSV_EXAMPLE,
    help: 'Only number, trunk and destination are required. Destinations: an extension number, "voicemail 1001", "flow Main menu" or "hangup". yes/no columns: inbound and caller_id default to yes, survey to no. recording_policy: the name of a recording policy, or empty for none. Schedule: timezone (IANA, e.g. Europe/Berlin; empty = always open), hours as "mon-fri 09:00-12:00,13:00-17:30; sat 10:00-13:00" (quote the cell when it holds commas), holidays as "2026-12-25 Christmas; 2026-12-26", after_hours as a destination (default hangup).',
    export: () => svc.exportCsv(),
    import: (text, actor) => ({ summary: `${svc.importCsv(text, actor)} number(s) imported.` }),
  });

  r.get('/new', (_req, res) => res.render('admin/numbers/form', { ...form('New number', newNumberValues), isNew: true }));

  r.post('/', (req, res) => {
    try {
      const n = svc.create(body(req), req.actor());
      req.flash('success', `Number ${n.number} added; FreeSWITCH is being updated.`);
      res.redirect(303, '/admin/numbers');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/numbers/form', { ...form('New number', body(req), e.fields), isNew: true });
    }
  });

  r.get('/:id', (req, res) => {
    const n = svc.get(idParam(req.params.id, 'number'));
    res.render('admin/numbers/form', { ...form(n.number, formValues(n)), number: n });
  });

  r.post('/:id', (req, res) => {
    const n = svc.get(idParam(req.params.id, 'number'));
    try {
      // Turning caller-ID use off while a route shows the number is refused, naming the routes.
      if (!unlessRefused(req, res, `/admin/numbers/${n.id}`, () => svc.update(n.id, body(req), req.actor()))) return;
      req.flash('success', 'Number saved; FreeSWITCH is being updated.');
      res.redirect(303, '/admin/numbers');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('admin/numbers/form', { ...form(n.number, body(req), e.fields), number: n });
    }
  });

  r.post('/:id/delete', (req, res) => {
    const n = svc.get(idParam(req.params.id, 'number'));
    if (!unlessRefused(req, res, `/admin/numbers/${n.id}`, () => svc.delete(n.id, req.actor()))) return;
    req.flash('success', `Number ${n.number} deleted.`);
    res.redirect(303, '/admin/numbers');
  });

  return r;
}
