import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { makePrivateDirectory, writePrivateFile } from '../../store/privateFiles';

/**
 * How `npm run import` reaches a bot that holds the store: the bot writes where its admin endpoint
 * listens and the token it takes into the store's folder, readable by its owner only, and removes
 * it when it stops. Whoever may read the store's folder may import into it.
 */
export const ADMIN_ACCESS_FILE = 'admin.json';

const accessSchema = z.object({ url: z.url(), token: z.string().min(32) });
export type AdminAccess = z.output<typeof accessSchema>;

export function writeAdminAccess(dataDir: string, access: AdminAccess): void {
  // On the shared store nothing else makes the folder: it holds only this file and uploads.
  writePrivateFile(path.join(makePrivateDirectory(dataDir), ADMIN_ACCESS_FILE), JSON.stringify(access));
}

/** The running bot's admin access, if a bot wrote one; undefined when there is none or it is unreadable. */
export function readAdminAccess(dataDir: string): AdminAccess | undefined {
  try {
    const parsed = accessSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, ADMIN_ACCESS_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the access this bot wrote; one another instance wrote since, into the same folder, stays. */
export function removeAdminAccess(dataDir: string, access: AdminAccess): void {
  if (readAdminAccess(dataDir)?.url !== access.url) return;
  fs.rmSync(path.join(dataDir, ADMIN_ACCESS_FILE), { force: true });
}
