/**
 * Names this machine accepts but another device's system would not: reported, so the user can rename
 * before a Windows or macOS device fails to create the file. They still sync (the service allows them).
 */
const WINDOWS_RESERVED_CHARS = /[<>:"\\|?*]/;
const WINDOWS_RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Why `name` cannot exist on Windows or macOS, or undefined when it can. */
export function portabilityProblem(name: string): string | undefined {
  if (WINDOWS_RESERVED_CHARS.test(name)) return 'contains a character Windows does not allow in names (< > : " \\ | ? *)';
  if (WINDOWS_RESERVED_NAMES.test(name)) return 'is a device name Windows reserves';
  if (/[. ]$/.test(name)) return 'ends with a dot or a space, which Windows drops';
  return undefined;
}
