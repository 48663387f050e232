import type { FsCommand, FsExecute } from './commands.js';
import type { SwitchStatusSource } from './switch-status.js';
import type { SwitchEventName, SwitchEvents } from './switch.types.js';

/**
 * An application finished: its Application-Response, and our channel variables (callbox_*, without the prefix)
 * as they were then, so a result the application left in a variable needs no second round trip.
 */
export interface Executed {
  response: string;
  vars: Record<string, string>;
}

/** The controller's only view of FreeSWITCH. Services depend on this, never on a socket. */
export interface SwitchPort extends SwitchStatusSource {
  readonly isConnected: boolean;
  /** Run an api command; rejects FreeswitchCommandError on -ERR, FreeswitchUnavailableError when down. */
  api(cmd: FsCommand): Promise<string>;
  /** Run a slow command (originate, anything that can block) in the background; resolves with its output. */
  bgapi(cmd: FsCommand, timeoutMs?: number): Promise<string>;
  /** Run an application on a channel; resolves when it has finished there. */
  execute(x: FsExecute, timeoutMs?: number): Promise<Executed>;
  /** Listen for a domain event; returns the function that stops listening. */
  on<K extends SwitchEventName>(name: K, fn: (e: SwitchEvents[K]) => void): () => void;
  onConnection(fn: (connected: boolean) => void): () => void;
}
