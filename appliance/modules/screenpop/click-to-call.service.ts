import { createHash, randomBytes } from 'node:crypto';
import { isoNow, type Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { BadRequestError, NotFoundError, UnauthorizedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { parseInput } from '../../validation.js';
import type { AuditService } from '../audit/audit.service.js';
import { sameToken } from '../auth/tokens.js';
import type { Actor } from '../users/users.types.js';
import { createScreenPopRepository, type ScreenPopRepository } from './screenpop.repository.js';
import { ClickToCallInputSchema, TokenInputSchema, type ClickToCallToken, type Dialer } from './screenpop.types.js';

/**
 * A plain SHA-256: tokens are 256 random bits, so no key or stretching is needed, and a copy of the database
 * alone does not give a usable token.
 */
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Who asked, for the log: the request's address and client. */
export interface CallerMeta {
  ip: string;
}

/**
 * Click-to-call for CRMs that are not embedded in the workbench: POST /api/click-to-call with a bearer token
 * an admin made here. The token is shown once; only its hash is kept. Every request is logged, refused or not.
 */
export class ClickToCallService {
  private readonly repo: ScreenPopRepository;

  constructor(private readonly d: { db: Db; clock: Clock; audit: AuditService; log: Logger; dialer: Dialer; agentExists: (number: string) => boolean }) {
    this.repo = createScreenPopRepository(d.db);
  }

  tokens(): ClickToCallToken[] {
    return this.repo.tokens();
  }

  /** A new token: the returned `token` is its only appearance. */
  createToken(input: unknown, actor: Actor): { token: string; record: ClickToCallToken } {
    const { name } = parseInput(TokenInputSchema, input, 'click_to_call.token_invalid');
    const token = `cbx_${randomBytes(32).toString('base64url')}`;
    const id = this.d.db.transaction(() => {
      const id = this.repo.insertToken(name, hashOf(token), isoNow(this.d.clock));
      this.d.audit.record(actor, { action: 'click_to_call.token_created', entityType: 'click_to_call_token', entityId: id, summary: `created click-to-call token ${name}` });
      return id;
    })();
    return { token, record: this.repo.findToken(id)! };
  }

  revokeToken(id: number, actor: Actor): ClickToCallToken {
    const t = this.repo.findToken(id);
    if (!t) throw new NotFoundError('click_to_call.token_not_found', { id }, { message: 'No such token.' });
    this.d.db.transaction(() => {
      if (this.repo.revokeToken(id, isoNow(this.d.clock))) {
        this.d.audit.record(actor, { action: 'click_to_call.token_revoked', entityType: 'click_to_call_token', entityId: id, summary: `revoked click-to-call token ${t.name}` });
      }
    })();
    return this.repo.findToken(id)!;
  }

  /**
   * Place a call for a CRM: the agent's phone first, then the number (the dialer decides how). 401 for a
   * missing, unknown or revoked token; 400 for bad input; 404 for an unknown agent.
   */
  async call(authorization: string | undefined, body: unknown, meta: CallerMeta): Promise<{ callId: string }> {
    const log = this.d.log.child({ ip: meta.ip });
    const token = this.authenticate(authorization);
    if (!token) {
      log.warn({ reason: authorization ? 'bad token' : 'no token' }, 'click-to-call refused');
      throw new UnauthorizedError('click_to_call.unauthorized', {}, { message: 'Send a valid click-to-call token: Authorization: Bearer <token>.' });
    }
    const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const parsed = ClickToCallInputSchema.safeParse(raw);
    if (!parsed.success) {
      log.info({ token: token.name, agent: raw.workNo, number: raw.number }, 'click-to-call refused: bad input');
      throw new BadRequestError('click_to_call.invalid', { issues: parsed.error.issues.map((i) => i.message) }, { message: parsed.error.issues.map((i) => i.message).join(' ') });
    }
    const { workNo, number, callerId } = parsed.data;
    this.repo.touchToken(token.id, isoNow(this.d.clock));
    if (!this.d.agentExists(workNo)) {
      log.info({ token: token.name, agent: workNo, number }, 'click-to-call refused: no such agent');
      throw new NotFoundError('click_to_call.agent_not_found', { workNo }, { message: `There is no agent ${workNo}.` });
    }
    log.info({ token: token.name, agent: workNo, number, callerId: callerId ?? null }, 'click-to-call');
    const result = await this.d.dialer.dial(workNo, number, callerId ?? null, `token:${token.name}`);
    log.info({ token: token.name, agent: workNo, number, callId: result.callId }, 'click-to-call placed');
    return result;
  }

  /** The token a request carries, compared in constant time with every active token's hash. */
  private authenticate(authorization: string | undefined): { id: number; name: string } | null {
    const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(authorization ?? '');
    if (!m) return null;
    const hash = hashOf(m[1]!);
    let found: number | null = null;
    // No early exit: the time taken does not tell how many tokens exist or which one was near.
    for (const t of this.repo.activeTokenHashes()) if (sameToken(hash, t.hash) && found === null) found = t.id;
    if (found === null) return null;
    const t = this.repo.findToken(found)!;
    return { id: t.id, name: t.name };
  }
}
