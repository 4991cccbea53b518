// Keys the annotate page uses for itself (tools, image stepping, view, help: see keymap.ts), so
// that a label class cannot take one as its hotkey.
import { APP_SHORTCUT_KEYS } from './keymap.ts';

export { APP_SHORTCUT_KEYS };

export const isAppShortcut = (key: string): boolean => APP_SHORTCUT_KEYS.includes(key.toLowerCase());
