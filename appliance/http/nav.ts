import type { Role } from '../modules/users/users.types.js';

export interface NavItem {
  label: string;
  href: string;
  roles: readonly Role[];
  /** False for areas whose capability is not in this version: shown, but not a link, and marked so. */
  isAvailable: boolean;
  /** Pages of the area that live at other addresses (its tabs): the item is current on them too. */
  also?: readonly string[];
}
export interface NavSection {
  label: string;
  items: NavItem[];
}

const staff: readonly Role[] = ['admin', 'supervisor'];
const admin: readonly Role[] = ['admin'];
const item = (label: string, href: string, roles: readonly Role[], isAvailable = false, also: readonly string[] = []): NavItem => ({ label, href, roles, isAvailable, also });

/**
 * Every area the console will have. An area becomes a link when its module ships; until then the menu says
 * plainly that it is not available, rather than leading to an empty page.
 */
export const NAV: readonly NavSection[] = [
  { label: 'Overview', items: [item('Dashboard', '/admin', staff, true)] },
  {
    label: 'Telephony',
    items: [
      item('Trunks', '/admin/trunks', admin, true),
      item('Numbers', '/admin/numbers', admin, true),
      item('Extensions', '/admin/extensions', admin, true),
      item('Outbound routes', '/admin/routes', admin, true),
      item('Blocklist', '/admin/blocklist', admin, true),
    ],
  },
  {
    label: 'Contact center',
    items: [
      item('Flows', '/admin/flows', staff, true),
      item('Prompts', '/admin/prompts', staff, true),
      item('Queues', '/admin/queues', staff, true, ['/admin/vip-callers']),
      item('Agents', '/admin/agents', staff, true, ['/admin/skills', '/admin/break-reasons']),
      item('Campaigns', '/admin/campaigns', staff),
    ],
  },
  {
    label: 'Records',
    items: [
      item('Call records', '/admin/calls', staff, true),
      // The policies page is part of the recordings area (linked from it and from the number, queue and agent forms).
      item('Recordings', '/admin/recordings', staff, true, ['/admin/recording-policies']),
      item('Reports', '/admin/reports', staff),
    ],
  },
  {
    label: 'Administration',
    items: [
      item('Users', '/admin/users', admin, true),
      item('Audit log', '/admin/audit', admin, true),
      item('Screen pops', '/admin/screen-pops', admin, true),
      item('Settings', '/admin/settings', admin),
      item('FreeSWITCH', '/admin/freeswitch', admin, true),
      item('System', '/admin/system', admin, true),
    ],
  },
];

/** The menu as one user sees it, with the current page marked. */
export function navFor(role: Role, path: string) {
  return NAV.map((s) => ({
    label: s.label,
    items: s.items
      .filter((i) => i.roles.includes(role))
      .map((i) => ({ ...i, isCurrent: i.href === '/admin' ? path === '/admin' : [i.href, ...(i.also ?? [])].some((href) => isUnder(path, href)) })),
  })).filter((s) => s.items.length > 0);
}

const isUnder = (path: string, href: string) => path === href || path.startsWith(`${href}/`);

/** The tabs of the contact center's routing pages: each page of the Queues and Agents areas shows them. */
export const ACD_TABS: readonly { label: string; href: string }[] = [
  { label: 'Queues', href: '/admin/queues' },
  { label: 'Live', href: '/admin/queues/live' },
  { label: 'Agents', href: '/admin/agents' },
  { label: 'Skills', href: '/admin/skills' },
  { label: 'Break reasons', href: '/admin/break-reasons' },
  { label: 'VIP callers', href: '/admin/vip-callers' },
];

/** The tabs with the current one marked: the longest address the page is under. */
export function acdTabs(path: string) {
  const current = ACD_TABS.filter((t) => isUnder(path, t.href)).sort((a, b) => b.href.length - a.href.length)[0];
  return ACD_TABS.map((t) => ({ ...t, isCurrent: t === current }));
}
