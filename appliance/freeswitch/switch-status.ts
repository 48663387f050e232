/** How the controller stands with FreeSWITCH, for the console banner, the status page and /healthz. */
export type SwitchConnectionState = 'connected' | 'connecting' | 'not_connected';

export interface SwitchStatus {
  state: SwitchConnectionState;
  /** When the state last changed (ISO time). */
  since: string;
  /** A sentence for people: why not connected, or what we are connected to. */
  detail: string;
}

export interface SwitchStatusSource {
  status(): SwitchStatus;
}

/**
 * The status source used while the controller has no event-socket client: it says so plainly, so the
 * console never pretends to control a switch.
 */
export function noSwitchClient(since: Date): SwitchStatusSource {
  const status: SwitchStatus = {
    state: 'not_connected',
    since: since.toISOString(),
    detail: 'This version of Callbox has no event-socket client yet, so it does not connect to FreeSWITCH.',
  };
  return { status: () => status };
}
