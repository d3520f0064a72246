import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './bot-process';

/**
 * Validates cards against the official Adaptive Cards 1.5 schema in ../shared/schemas (draft-06; its top-level `id`
 * is renamed to `$id` for ajv 8, as ../shared/schemas/README.md says).
 */
/** The project's shared/ folder (checklist seed, Adaptive Cards schema): beside the repository, or ROUNDS_SHARED_DIR. */
export const SHARED = path.resolve(process.env.ROUNDS_SHARED_DIR || path.join(ROOT, '..', 'shared'));

let validate: ((card: unknown) => string[]) | undefined;

export function cardSchemaErrors(card: unknown): string[] {
  if (!validate) {
    const schema = JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas', 'adaptive-card-1.5.json'), 'utf8'));
    if (schema.id && !schema.$id) {
      schema.$id = schema.id;
      delete schema.id;
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    addFormats(ajv);
    const fn = ajv.compile(schema);
    validate = (c) => (fn(c) ? [] : (fn.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`));
  }
  return validate(card);
}
