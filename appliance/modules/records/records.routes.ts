import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../../http/middleware/auth.js';
import { streamText } from '../../http/stream-text.js';
import type { Role } from '../users/users.types.js';
import { DIRECTION_LABELS, OUTCOME_LABELS } from './records.view.js';
import { RESULT_LABELS } from './results.js';
import type { RecordPages } from './records.pages.js';
import { DIRECTIONS, OUTCOMES, RESULTS } from './records.types.js';

export interface RecordMount {
  /** Where the list lives (/admin/calls, /admin/recordings, /agent/calls). */
  base: string;
  /** Where a call's page lives (the recordings view shows calls at /admin/calls). */
  detailBase: string;
  layout: 'admin' | 'agent';
  roles: Role[];
  title: string;
  /** The recordings view: the same list, only calls with a recording, a player on each row. */
  recordedOnly?: boolean;
}

const qs = (values: Record<string, string>) => {
  const s = new URLSearchParams(values).toString();
  return s ? `?${s}` : '';
};
const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((v) => ({ value: v, label: labels[v] }));

/**
 * The call records list (filters, keyset pages, export) and each call's page, mounted for the console and for
 * the agent's workbench; what a user sees is their scope (records.access.ts), whatever the address.
 */
export function recordRoutes(pages: RecordPages, m: RecordMount): Router {
  const r = Router();
  r.use(requireRole(...m.roles));

  const render = (req: Request, res: Response) => {
    const user = req.user!;
    const choices = pages.choices();
    const view = {
      title: m.title,
      layout: m.layout,
      base: m.base,
      isRecordings: Boolean(m.recordedOnly),
      isAgent: user.role === 'agent',
      zone: pages.zone,
      directionOptions: options(DIRECTIONS, DIRECTION_LABELS),
      outcomeOptions: options(OUTCOMES, OUTCOME_LABELS),
      resultOptions: options(RESULTS, RESULT_LABELS),
      queueOptions: choices.queues.map((q) => ({ value: String(q.id), label: q.name })),
      agentOptions: choices.agents.map((a) => ({ value: String(a.id), label: `${a.name} (${a.number})` })),
    };
    try {
      const list = pages.list(req.query, user, { base: m.detailBase, recordedOnly: m.recordedOnly ?? false });
      res.render('admin/calls/index', {
        ...view,
        values: list.values,
        items: list.items,
        newerHref: list.newer && `${m.base}${qs(list.newer)}`,
        olderHref: list.older && `${m.base}${qs(list.older)}`,
        isFirst: list.isFirst,
        newestHref: `${m.base}${qs(list.values)}`,
        exportHref: `${m.base}/export.csv${qs(list.values)}`,
      });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // The filter is shown as typed, with its errors, and no rows: never rows for some other filter.
      res.status(422).render('admin/calls/index', { ...view, values: req.query, errors: e.fields, message: e.message, items: [], isRejected: true });
    }
  };

  r.get('/', render);

  r.get('/export.csv', async (req, res) => {
    // Throws for a bad filter before a byte is written: the error page, not half a file.
    const csv = pages.csv(req.query, req.user!, { recordedOnly: m.recordedOnly ?? false });
    res.status(200).type('text/csv; charset=utf-8').attachment(csv.filename);
    await streamText(res, csv.chunks);
  });

  r.get('/:callId', (req, res) => {
    const call = pages.detail(String(req.params.callId), req.user!);
    res.render('admin/calls/show', { title: `Call ${call.caller} → ${call.dialed === '—' ? call.callee : call.dialed}`, layout: m.layout, base: m.base, call });
  });

  return r;
}
