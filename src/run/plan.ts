import { DEATH_NOTIFICATION_RECIPIENTS, foldersFor, type FolderSpec } from '../catalogue.js';
import type { EnvironmentSpec, Role } from '../config/environments.js';
import { UserError } from '../errors.js';
import type { SkippedFolder } from '../report/model.js';

export interface FolderPlan {
  run: FolderSpec[];
  skipped: SkippedFolder[];
}

export interface PlanOptions {
  /** The role of the client, when known (the stand-in's built-in clients, or --role). */
  role?: Role;
  folders?: string[];
  acknowledge: boolean;
  /** --publish-death-notification: run the opt-in folder whose record other departments receive. */
  publishDeathNotification?: boolean;
}

/** Which folders of the environment's collection a run sends, and why it leaves the rest out. */
export function planFolders(env: EnvironmentSpec, options: PlanOptions): FolderPlan {
  const all = foldersFor(env);
  if (options.role && !env.roles[options.role]) {
    throw new UserError(`${env.name} has nothing for the ${options.role} role; drop --role or use ${Object.keys(env.roles).join(' or ')}`);
  }
  const unknown = (options.folders ?? []).filter((name) => !all.some((f) => f.name === name));
  if (unknown.length) {
    throw new UserError(`no folder "${unknown[0]}" in the ${env.name} collection; use one of: ${all.map((f) => `"${f.name}"`).join(', ')}`);
  }
  const run: FolderSpec[] = [];
  const skipped: SkippedFolder[] = [];
  for (const folder of all) {
    if (options.folders?.length && !options.folders.includes(folder.name)) {
      skipped.push({ folder: folder.name, reason: 'not named by --folder' });
    } else if (folder.role && options.role && folder.role !== options.role) {
      skipped.push({ folder: folder.name, reason: `for the ${folder.role} role; this client is run as ${options.role}` });
    } else if (folder.destructive && !options.acknowledge) {
      skipped.push({ folder: folder.name, reason: 'left out by --no-acknowledge' });
    } else if (folder.optIn && !options.publishDeathNotification) {
      skipped.push({ folder: folder.name, reason: `left out without --publish-death-notification: its record reaches ${DEATH_NOTIFICATION_RECIPIENTS}` });
    } else {
      run.push(folder);
    }
  }
  return { run, skipped };
}
