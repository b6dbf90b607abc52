// Every command, in the order --help lists them.
import type { AnyCommand } from './command.js';
import { doctorCommand } from './doctor.js';
import { exportCommand } from './export.js';
import { generateCommand } from './generate.js';
import { smokeCommand } from './smoke.js';
import { standinCommand } from './standin.js';
import { tokenCommand } from './token.js';

export const COMMANDS: readonly AnyCommand[] = [generateCommand, standinCommand, smokeCommand, tokenCommand, doctorCommand, exportCommand];
