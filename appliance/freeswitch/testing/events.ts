import type { ChannelInfo, HangupInfo } from '../switch.types.js';

/** A channel event as the event mapping makes it, for tests and benches that emit events on a stand-in switch. */
export const channelInfo = (uuid: string, extra: Partial<ChannelInfo> = {}): ChannelInfo => ({ uuid, callUuid: uuid, direction: 'inbound', channelName: 'sofia/external/caller', callerNumber: '+4930111', callerName: '', destination: 'enter', context: 'callbox', otherUuid: null, loopbackUuid: null, vars: {}, at: 0, ...extra });

/** A hangup: the far end sent BYE (recv_bye), normal clearing, unless `extra` says otherwise. */
export const hangupInfo = (uuid: string, extra: Partial<HangupInfo> = {}): HangupInfo => ({ ...channelInfo(uuid), cause: 'NORMAL_CLEARING', causeQ850: 16, disposition: 'recv_bye', createdAt: null, answeredAt: null, hungupAt: null, billsec: 0, duration: 0, media: null, ...extra });
