import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

/**
 * Card templates live as JSON in /cards and are loaded once. Template names are persisted contracts
 * (cards already posted in Teams carry their verbs and data): add new ones, never rename.
 */
export const TEMPLATE_NAMES = ['weekly-checklist', 'welcome', 'message', 'status', 'check-result', 'history', 'subscriptions'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[] };

function findCardsDir(): string {
  // Works from src/cards (tsx) and dist/src/cards (built): walk up to the folder that holds package.json.
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'cards'))) return path.join(dir, 'cards');
    dir = path.dirname(dir);
  }
  throw new Error(`cards/ folder not found above ${__dirname}`);
}

export const CARDS_DIR = findCardsDir();

const cache = new Map<TemplateName, ACData.Template>();

function template(name: TemplateName): ACData.Template {
  let t = cache.get(name);
  if (!t) {
    const json = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    t = new ACData.Template(json);
    cache.set(name, t);
  }
  return t;
}

/** Expand a template with its model. The model is data: user text in it must already be escaped. */
export function expand<M extends object>(name: TemplateName, model: M): AdaptiveCard {
  const card = template(name).expand({ $root: model }) as AdaptiveCard;
  delete (card as Record<string, unknown>).$schema;
  return card;
}

/** `${...}` left in a rendered card means a template referenced a field the model lacks. */
export function findUnresolved(card: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (/(^|[^\\])\$\{/.test(v)) found.push(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  return found;
}
