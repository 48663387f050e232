import type { Role } from '../modules/users/users.types.js';

export interface NavItem {
  label: string;
  href: string;
  roles: readonly Role[];
  /** False for areas whose capability is not in this version: shown, but not a link, and marked so. */
  isAvailable: boolean;
}
export interface NavSection {
  label: string;
  items: NavItem[];
}

const staff: readonly Role[] = ['admin', 'supervisor'];
const admin: readonly Role[] = ['admin'];
const item = (label: string, href: string, roles: readonly Role[], isAvailable = false): NavItem => ({ label, href, roles, isAvailable });

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
      item('Queues', '/admin/queues', staff),
      item('Agents', '/admin/agents', staff),
      item('Campaigns', '/admin/campaigns', staff),
    ],
  },
  {
    label: 'Records',
    items: [
      item('Call records', '/admin/calls', staff),
      item('Recordings', '/admin/recordings', staff),
      item('Reports', '/admin/reports', staff),
    ],
  },
  {
    label: 'Administration',
    items: [
      item('Users', '/admin/users', admin, true),
      item('Audit log', '/admin/audit', admin, true),
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
      .map((i) => ({ ...i, isCurrent: i.href === '/admin' ? path === '/admin' : path === i.href || path.startsWith(`${i.href}/`) })),
  })).filter((s) => s.items.length > 0);
}
