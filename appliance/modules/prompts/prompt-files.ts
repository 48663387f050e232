import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where prompt audio lives under <dataDir>/sounds. Files are named by hash, so identical content is stored once:
 *   prompts/<hash>.wav           the library's prompts (uploads, recordings, text-to-speech)
 *   music/<id>/8000/<hash>.wav   one folder per music class, the folder a local_stream plays (confgen)
 *   tts/<hash>.wav               speech flows render at call time from text with variables filled in
 *   .incoming/                   work files, on the same file system so a finished file is renamed into place
 */
export class PromptFiles {
  constructor(readonly soundsDir: string) {}

  prompt(hash: string): string {
    return join(this.soundsDir, 'prompts', `${hash}.wav`);
  }

  /** The local_stream folder of a music class: FreeSWITCH plays every file in it. */
  musicDir(id: number): string {
    return join(this.soundsDir, 'music', String(id), '8000');
  }

  music(id: number, hash: string): string {
    return join(this.musicDir(id), `${hash}.wav`);
  }

  tts(hash: string): string {
    return join(this.soundsDir, 'tts', `${hash}.wav`);
  }

  get incomingDir(): string {
    return join(this.soundsDir, '.incoming');
  }

  /** A fresh work file name; nothing is created. */
  incoming(suffix = '.wav'): string {
    mkdirSync(this.incomingDir, { recursive: true });
    return join(this.incomingDir, `${randomBytes(8).toString('hex')}${suffix}`);
  }

  /** Move a finished work file into place in one rename: a call never plays half a file. Same content is kept once. */
  place(work: string, target: string): void {
    mkdirSync(dirname(target), { recursive: true });
    if (existsSync(target)) rmSync(work, { force: true });
    else renameSync(work, target);
  }

  removeMusic(id: number): void {
    rmSync(join(this.soundsDir, 'music', String(id)), { recursive: true, force: true });
  }
}
