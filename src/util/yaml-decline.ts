/**
 * How the fast YAML reader gives up: a module meeting text it does not read
 * (or text `yaml` would reject) throws `decline(reason)`; parseBlockYaml turns
 * that into undefined and the caller parses with the `yaml` package, which
 * also produces every syntax error. The reason names the construct, for the
 * bench that counts which constructs send files to `yaml`.
 */
export class Declined {
  constructor(readonly reason: string) {}
}

export function decline(reason: string): never {
  throw new Declined(reason);
}
