import { FreeswitchUnavailableError } from '../errors.js';
import type { SwitchPort } from './switch.port.js';

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

/** A switch that is never there, for tools that do not connect to FreeSWITCH at all (the admin command line). */
export function offlineSwitch(detail: string): SwitchPort {
  const status: SwitchStatus = { state: 'not_connected', since: new Date().toISOString(), detail };
  const refuse = () => Promise.reject(new FreeswitchUnavailableError('switch.unavailable', {}, { message: detail }));
  return {
    isConnected: false,
    status: () => status,
    api: refuse,
    bgapi: refuse,
    execute: refuse,
    on: () => () => undefined,
    onConnection: () => () => undefined,
  };
}
