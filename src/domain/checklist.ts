/** A checklist is data: items with stable ids (persisted with every ack; add, never rename). */
export interface Link {
  title: string;
  url: string;
}

export interface SubItem {
  id: string;
  title: string;
  /** The portal path as the seed writes it, e.g. "Settings > Cloud apps > Connected apps > App Connectors". */
  where: string;
  link: string;
}

export interface ChecklistItem {
  id: string;
  title: string;
  description: string;
  persona: string;
  where: { portal: string; path: string; link: string };
  subItems: SubItem[];
  moreInfo: Link[];
  /** The check that runs this item (see src/checks/registry.ts). */
  checkId: string;
}

export interface Checklist {
  id: string;
  title: string;
  source: Link;
  items: ChecklistItem[];
}
