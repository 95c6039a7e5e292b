/**
 * One CSV field per RFC 4180: quoted (inner quotes doubled) when it holds a comma, quote, CR or
 * LF. A null is an empty field and an empty string is `""`, so the two stay distinguishable.
 *
 * @example
 * csvField('say "hi", bye'); // '"say ""hi"", bye"'
 * csvField(null); // ""
 */
export function csvField(text: string | null): string {
  if (text === null) return "";
  if (text === "") return '""';
  if (!/[",\r\n]/.test(text)) return text;
  return `"${text.replaceAll('"', '""')}"`;
}
