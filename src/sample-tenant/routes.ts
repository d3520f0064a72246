/** Route names: what faults target and what the request counters are keyed by. */
export const GRAPH_ROUTES = ['secureScores', 'controlProfiles', 'messages', 'application', 'huntingQuery'] as const;
export const CLOUD_APPS_ROUTES = ['alerts', 'streams', 'governance'] as const;
export type GraphRoute = (typeof GRAPH_ROUTES)[number];
export type CloudAppsRoute = (typeof CLOUD_APPS_ROUTES)[number];
export type RouteName = GraphRoute | CloudAppsRoute;
export const ROUTE_NAMES: readonly RouteName[] = [...GRAPH_ROUTES, ...CLOUD_APPS_ROUTES];

export function isGraphRoute(r: RouteName): r is GraphRoute {
  return (GRAPH_ROUTES as readonly string[]).includes(r);
}
