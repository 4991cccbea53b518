// The production wiring of optional parts into startServer: the sync server and label usage.
import type { StartOptions } from './main.ts';

export const wireSync: StartOptions = {};
