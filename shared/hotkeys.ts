// Keys the annotate page uses for itself (tools, image stepping, fit), so that a label class
// cannot take one: V/B/P pick a tool, D/F step through images, 0 fits the image.
export const APP_SHORTCUT_KEYS = ['v', 'b', 'p', 'd', 'f', '0'] as const;

export const isAppShortcut = (key: string): boolean => (APP_SHORTCUT_KEYS as readonly string[]).includes(key.toLowerCase());
