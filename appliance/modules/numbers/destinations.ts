/**
 * Where a number sends a call: in open hours (fields destinationKind, destinationExtensionId) and after hours
 * (afterHoursKind, afterHoursExtensionId). Both use these kinds the same way. A new kind (voicemail, flow,
 * queue) is one entry here, its target's column, and its dialplan actions in confgen/model.ts.
 */
export const DESTINATION_KINDS = ['extension', 'voicemail', 'flow', 'hangup'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export interface DestinationSpec {
  /** In the form's choice. */
  label: string;
  /** What the kind needs chosen; null when nothing. */
  target: 'extension' | 'flow' | null;
  /** In lists: the target's name when it has one. */
  describe(target: string | null): string;
}

export const DESTINATIONS: Record<DestinationKind, DestinationSpec> = {
  extension: { label: 'An extension', target: 'extension', describe: (name) => `Extension ${name ?? '?'}` },
  // The box of an extension that has one (the service checks); the extension column names it.
  voicemail: { label: "An extension's voicemail box", target: 'extension', describe: (name) => `Voicemail ${name ?? '?'}` },
  // The flow's latest published version answers the call; its fallback takes over when the controller cannot.
  flow: { label: 'A flow (IVR)', target: 'flow', describe: (name) => `Flow ${name ?? '?'}` },
  hangup: { label: 'Hang up (refuse the call)', target: null, describe: () => 'Hang up' },
};

/** The two places a number names a destination; each is a pair of form fields. */
export const DESTINATION_SLOTS = {
  destination: { kind: 'destinationKind', extensionId: 'destinationExtensionId', flowId: 'destinationFlowId' },
  afterHours: { kind: 'afterHoursKind', extensionId: 'afterHoursExtensionId', flowId: 'afterHoursFlowId' },
} as const;
export type DestinationSlot = keyof typeof DESTINATION_SLOTS;
