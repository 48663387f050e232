import type { SessionService } from '../auth/sessions.service.js';
import type { ExtensionService } from '../extensions/extensions.service.js';
import type { UserService } from '../users/users.service.js';
import type { AgentService } from './agents.service.js';

/** Who may use a browser phone, and as which extension. */
export interface BrowserPhoneGrant {
  userId: number;
  username: string;
  displayName: string;
  extension: string;
  /** Sent only to the agent's own page (GET /agent/phone); never logged. */
  sipPassword: string;
}
export type BrowserPhoneAnswer = { grant: BrowserPhoneGrant } | { status: 401 | 403; reason: string };

/**
 * The one rule for browser phones, shared by the agent's page (/agent/phone) and the SIP WebSocket proxy: a
 * signed-in user who is an agent whose device is an enabled extension that allows a browser phone.
 */
export function createBrowserPhoneAccess(d: { sessions: SessionService; users: UserService; agents: AgentService; extensions: ExtensionService }) {
  const forUser = (userId: number): BrowserPhoneAnswer => {
    const user = d.users.find(userId);
    if (!user || user.isDisabled) return { status: 401, reason: 'Sign in again.' };
    if (user.mustChangePassword) return { status: 403, reason: 'Choose a new password first.' };
    const agent = d.agents.byUser(userId);
    if (!agent) return { status: 403, reason: 'You are not set up as an agent.' };
    if (agent.device.kind !== 'extension') return { status: 403, reason: `Your calls ring ${agent.device.number}, not an extension: a browser phone needs an extension.` };
    const r = d.extensions.browserPhoneAccount(agent.device.extensionId);
    if ('refused' in r) return { status: 403, reason: r.refused };
    return { grant: { userId, username: user.username, displayName: r.account.displayName || user.displayName, extension: r.account.number, sipPassword: r.account.sipPassword } };
  };
  return {
    forUser,
    /** For a request that did not pass the session middleware (a WebSocket upgrade): by its session token. */
    forSessionToken(token: string | undefined): BrowserPhoneAnswer {
      if (!token) return { status: 401, reason: 'Not signed in.' };
      const r = d.sessions.resolve(token);
      if (!('session' in r) || r.session.userId === null) return { status: 401, reason: r && 'expired' in r && r.expired ? 'The session expired: sign in again.' : 'Not signed in.' };
      return forUser(r.session.userId);
    },
  };
}
export type BrowserPhoneAccess = ReturnType<typeof createBrowserPhoneAccess>;
