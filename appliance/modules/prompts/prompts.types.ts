import { z } from 'zod';

export const PROMPT_CATEGORIES = ['prompt', 'music'] as const;
export const PROMPT_SOURCES = ['upload', 'recording', 'tts'] as const;
export const PROMPT_STATUSES = ['ready', 'rendering', 'failed'] as const;
export type PromptCategory = (typeof PROMPT_CATEGORIES)[number];
export type PromptSource = (typeof PROMPT_SOURCES)[number];
export type PromptStatus = (typeof PROMPT_STATUSES)[number];

/** Audio a flow plays (category prompt) or a music class callers hold on (category music). */
export interface Prompt {
  id: number;
  name: string;
  category: PromptCategory;
  source: PromptSource;
  /** What espeak-ng speaks: set for text-to-speech prompts only. */
  speech: Speech | null;
  /** sha256 hex: of the speech inputs (tts) or of the converted audio; names the file. */
  hash: string;
  status: PromptStatus;
  error: string | null;
  durationMs: number | null;
  sizeBytes: number | null;
  originalName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Text and how espeak-ng speaks it; also what flows hand to speak() with their variables filled in. */
export interface Speech {
  text: string;
  voice: string;
  rate: number;
  volume: number;
}

/** Uploads: at most 5 MB as sent, at most 10 minutes once converted. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const MAX_DURATION_MS = 10 * 60 * 1000;
export const MAX_TEXT = 2000;

/** The voices offered first; any other voice espeak-ng has is accepted too. */
export const VOICE_LABELS: Readonly<Record<string, string>> = {
  'en-us': 'English (US)',
  'en-gb': 'English (UK)',
  cmn: 'Chinese, Mandarin',
  yue: 'Chinese, Cantonese',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  ja: 'Japanese',
};

// Names show in the console and in flows' pickers; never in XML or a command.
const name = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(80, 'Use at most 80 characters.')
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

const int = (min: number, max: number, unit: string, fallback: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? fallback : v),
    z.coerce.number({ error: `Use ${min} to ${max} ${unit}.` }).int(`Use ${min} to ${max} ${unit}.`).min(min, `Use ${min} to ${max} ${unit}.`).max(max, `Use ${min} to ${max} ${unit}.`),
  );

export const SpeechSchema = z.object({
  text: z
    .string({ error: 'Enter the text to speak.' })
    .trim()
    .min(1, 'Enter the text to speak.')
    .max(MAX_TEXT, `Use at most ${MAX_TEXT} characters.`)
    // Line breaks are pauses to espeak-ng; other control characters are nothing anyone means to say.
    .regex(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, 'Control characters are not allowed.'),
  // Checked against what espeak-ng has by the service; the shape here keeps it out of trouble until then.
  voice: z.string({ error: 'Choose a voice.' }).trim().regex(/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i, 'Choose a voice from the list.'),
  rate: int(80, 300, 'words per minute', 160),
  volume: int(0, 200, '(100 is normal)', 100),
});

export const SpeechPromptSchema = SpeechSchema.extend({ name });
export const UploadSchema = z.object({
  name,
  category: z.enum(PROMPT_CATEGORIES, { error: 'Choose prompt or music on hold.' }).default('prompt'),
  source: z.enum(['upload', 'recording'], { error: 'Choose upload or recording.' }).default('upload'),
});
export const RenameSchema = z.object({ name });

export const PromptFilterSchema = z.object({
  q: z.string().trim().max(80).optional().catch(undefined),
  category: z.enum(PROMPT_CATEGORIES).optional().catch(undefined),
  source: z.enum(PROMPT_SOURCES).optional().catch(undefined),
  status: z.enum(PROMPT_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type PromptFilter = z.infer<typeof PromptFilterSchema>;
