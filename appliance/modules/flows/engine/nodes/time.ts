import { z } from 'zod';
import { scheduleStatus } from '../../../numbers/open-now.js';
import { formatHours, parseHolidays, parseHours, type Schedule } from '../../../numbers/schedule.js';
import { isIanaZone } from '../../../../timezones.js';
import type { NodeKind } from '../types.js';

/** The compact forms the numbers' schedules use too: `mon-fri 09:00-17:00; sat 10:00-13:00` and `2026-12-25 Christmas`. */
export function scheduleOf(c: { hours: string; holidays: string; timezone: string }): Schedule {
  return { timezone: c.timezone, hours: parseHours(c.hours).hours, holidays: parseHolidays(c.holidays).holidays };
}

const schema = z.object({
  timezone: z.string().trim().refine(isIanaZone, 'Time zone: an IANA name such as Europe/Berlin.'),
  hours: z.string().max(2000).superRefine((s, ctx) => {
    const { problems } = parseHours(s);
    if (problems.length) ctx.addIssue({ code: 'custom', message: problems[0]! });
  }),
  holidays: z.string().max(10_000).default('').superRefine((s, ctx) => {
    const { problems } = parseHolidays(s);
    if (problems.length) ctx.addIssue({ code: 'custom', message: problems[0]! });
  }),
});

export const time: NodeKind<z.infer<typeof schema>> = {
  kind: 'time',
  label: 'Time condition',
  help: 'Open or closed by business hours and holidays, in a time zone.',
  fields: [
    { name: 'timezone', label: 'Time zone', type: 'text', help: 'e.g. Europe/Berlin, Asia/Shanghai, America/New_York.' },
    { name: 'hours', label: 'Open hours', type: 'textarea', help: 'e.g. mon-fri 09:00-12:00,13:00-17:30; sat 10:00-13:00' },
    { name: 'holidays', label: 'Holidays (closed)', type: 'textarea', help: 'One per line: 2026-12-25 Christmas Day' },
  ],
  schema,
  initial: { timezone: 'UTC', hours: 'mon-fri 09:00-17:00', holidays: '' },
  branches: () => [{ name: 'open', label: 'Open' }, { name: 'closed', label: 'Closed' }],
  prompts: () => [],
  describe: (c) => `${formatHours(parseHours(c.hours).hours) || 'never open'} (${c.timezone})`,
  async run(c, ctx) {
    const s = scheduleStatus(scheduleOf(c), ctx.io.now());
    ctx.note(`${s.localTime ?? ''}: ${s.why}`);
    return { branch: s.isOpen ? 'open' : 'closed' };
  },
};
