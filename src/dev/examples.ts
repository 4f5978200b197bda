import fs from 'node:fs';
import path from 'node:path';

/**
 * The example operations of `examples/operations/`: one operation per `.graphql` file, named
 * `NN-<role>-<what>.graphql`, with variables in `variables.json` where `{{name}}` (or
 * `{{name.0}}` for an item of a list) stands for an id of the data at hand. The playground
 * opens on them and a test runs each, so they stay in step with the schema and the rules.
 */

export type ExampleRole = 'buyer' | 'manager';

export interface Example {
  file: string;
  role: ExampleRole;
  kind: 'query' | 'mutation' | 'subscription';
  query: string;
  /** With placeholders; see `fillPlaceholders`. */
  variables: Record<string, unknown> | undefined;
}

export type PlaceholderValues = Record<string, string | readonly string[]>;

/** The examples folder, from the sources (src/dev) or the build (dist/src/dev). */
export function examplesDir(): string {
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(__dirname, up, 'examples', 'operations');
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error('examples/operations not found next to the sources');
}

export function loadExamples(dir = examplesDir()): Example[] {
  const variables = JSON.parse(fs.readFileSync(path.join(dir, 'variables.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const match = /^\d+-(buyer|manager)-/.exec(file);
      if (!match)
        throw new Error(`examples/operations/${file}: name it NN-buyer-… or NN-manager-…`);
      const query = fs.readFileSync(path.join(dir, file), 'utf8');
      const kind = /^\s*(query|mutation|subscription)\b/m.exec(query)?.[1];
      if (!kind) throw new Error(`examples/operations/${file}: no operation`);
      return {
        file,
        role: match[1] as ExampleRole,
        kind: kind as Example['kind'],
        query,
        variables: variables[file],
      };
    });
}

/** Replaces each `{{name}}` / `{{name.N}}` in the strings of `template`; unknown names throw. */
export function fillPlaceholders<T>(template: T, values: PlaceholderValues): T {
  const fill = (s: string) =>
    s.replace(/\{\{(\w+)(?:\.(\d+))?\}\}/g, (_, name: string, index?: string) => {
      const value = values[name];
      const picked =
        index === undefined ? value : (value as readonly string[] | undefined)?.[+index];
      if (typeof picked !== 'string') throw new Error(`no value for the placeholder {{${name}}}`);
      return picked;
    });
  return JSON.parse(JSON.stringify(template), (_k, v: unknown) =>
    typeof v === 'string' ? fill(v) : v,
  ) as T;
}
