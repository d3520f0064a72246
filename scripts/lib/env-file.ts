/**
 * Reads the Microsoft 365 Agents Toolkit env files (`env/.env.<name>` and the git-ignored `env/.env.<name>.user`,
 * where the toolkit puts SECRET_* values). The toolkit writes plain dotenv lines: KEY=VALUE, `#` comments,
 * optionally quoted values (https://aka.ms/teamsfx-v5.0-guide, "Environment files").
 */
import fs from 'node:fs';
import path from 'node:path';

export type EnvValues = Record<string, string>;

/** Parses dotenv text. Later keys win. Unquoted values lose trailing ` # comments`; quoted values are kept as is. */
export function parseEnvText(text: string): EnvValues {
  const out: EnvValues = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[m[1]] = value;
  }
  return out;
}

/** The files read for an environment, in the order they are applied (later wins). */
export function envFilePaths(envDir: string, envName: string): string[] {
  return [path.join(envDir, `.env.${envName}`), path.join(envDir, `.env.${envName}.user`)];
}

/** Merges the env files that exist; missing files are skipped. Returns the values and the files actually read. */
export function readEnvFiles(envDir: string, envName: string): { values: EnvValues; files: string[] } {
  const values: EnvValues = {};
  const files: string[] = [];
  for (const file of envFilePaths(envDir, envName)) {
    if (!fs.existsSync(file)) continue;
    Object.assign(values, parseEnvText(fs.readFileSync(file, 'utf8')));
    files.push(file);
  }
  return { values, files };
}
