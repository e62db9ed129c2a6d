/**
 * Console colours: the four the CLI prints warnings, errors, debug lines and
 * statuses in, painted by chalk. chalk is imported only when colour is on:
 * its module loads tty, net and os to sniff the terminal, which a piped or
 * redirected command (colour off) never needs.
 */
export type ConsoleColour = 'red' | 'green' | 'yellow' | 'gray';

/** Text in a colour (or as it is, when colour is off). */
export type Paint = (colour: ConsoleColour, text: string) => string;

/** Colour off: the text as it is. */
export const plainText: Paint = (_colour, text) => text;

/** Colour on: chalk at level 1 (the terminal's basic 16 colours). */
export async function chalkPaint(): Promise<Paint> {
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return (colour, text) => chalk[colour](text);
}
