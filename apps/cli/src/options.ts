import { InvalidArgumentError } from 'commander';

/** Commander parser for an integer option, naming the option in its error. */
export function parseIntOption(name: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${value}'`);
    return n;
  };
}

/** Commander parser for a comma-separated list of choices, naming the option and the choices in its error. */
export function parseListOption(name: string, choices: readonly string[]): (value: string) => string[] {
  return (value: string) => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const bad = items.filter((s) => !choices.includes(s));
    if (items.length === 0 || bad.length) {
      throw new InvalidArgumentError(`${name}: ${bad.length ? `unknown ${bad.map((b) => `'${b}'`).join(', ')}` : 'empty list'}; choose from ${choices.join(', ')} (comma-separated)`);
    }
    return items;
  };
}

// The analysis spec's OUTPUT_FORMATS, repeated here so that parsing the command line loads no library.
export const OUTPUT_CHOICES = ['json', 'csv', 'parquet', 'arrow'] as const;
export const OUTPUTS_HELP = "result formats, comma-separated: json and csv are always written; add parquet and/or arrow for each analysis's data tables in data/ (default: the spec's outputs)";
