/**
 * Console text in one of the terminal's basic foreground colours (SGR
 * 30–37, 90–97), ended by the default-colour code 39: what the CLI's
 * warnings, errors, debug lines and statuses are printed in when colour is
 * on. Written here rather than taken from a colour library, whose module
 * (and the tty and net modules it loads to sniff the terminal) every command
 * would load for four colours.
 *
 * The same bytes a 16-colour terminal library gives: a colour ended inside
 * the text (another colour's end) starts again after it, and each line is
 * coloured on its own (the colour ended before a line break, `\r\n` kept
 * whole, and started again after it), so a terminal that resets colour at a
 * line break shows every line coloured. Empty text stays empty.
 */
const END = '\u001B[39m';

export const ANSI_COLOURS = { red: 31, green: 32, yellow: 33, gray: 90 } as const;
export type AnsiColour = keyof typeof ANSI_COLOURS;

export function colourText(colour: AnsiColour, text: string): string {
  if (text === '') return text;
  const start = `\u001B[${ANSI_COLOURS[colour]}m`;
  let body = text.includes('\u001B') ? text.split(END).join(END + start) : text;
  if (body.includes('\n')) body = body.replace(/\r?\n/g, (lineBreak) => END + lineBreak + start);
  return start + body + END;
}
