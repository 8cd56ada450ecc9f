import { ADMINS, CONFIGURERS, Role, ROLES, WORKERS } from './roles';

export const OWNING_SERVICES = ['ingestion', 'surveys', 'health', 'playbooks', 'renewals'] as const;
export type OwningService = (typeof OWNING_SERVICES)[number];

export function isOwningService(value: string): value is OwningService {
  return (OWNING_SERVICES as readonly string[]).includes(value);
}

interface Rule {
  service: OwningService;
  methods: readonly string[];
  path: RegExp;
  roles: readonly Role[];
}

const READ = ['GET'];
const WRITE = ['POST', 'PUT', 'PATCH', 'DELETE'];
const ALL = [...READ, ...WRITE];
const EVERYONE = ROLES;

/**
 * What each role may do through the gateway, service by service. The first rule whose service,
 * method and path match decides; nothing matching is refused. Routes a browser never needs
 * (Segment intake, public survey links, health, metrics, docs) are not reachable at all.
 */
const RULES: Rule[] = [
  // Admin-only surfaces (read and write): they hold secrets or deliver to the outside.
  { service: 'ingestion', methods: ALL, path: /^\/write-keys(\/[^/]+)?$/, roles: ADMINS },
  { service: 'playbooks', methods: ALL, path: /^\/(channels(\/[^/]+)?|deliveries)$/, roles: ADMINS },
  // Work on accounts.
  { service: 'playbooks', methods: ['PATCH'], path: /^\/tasks\/[^/]+$/, roles: WORKERS },
  { service: 'playbooks', methods: ['POST'], path: /^\/alerts\/[^/]+\/ack$/, roles: WORKERS },
  { service: 'ingestion', methods: ['PATCH'], path: /^\/accounts\/[^/]+$/, roles: WORKERS },
  { service: 'ingestion', methods: ['PUT'], path: /^\/contacts\/[^/]+\/role$/, roles: WORKERS },
  { service: 'ingestion', methods: ['DELETE'], path: /^\/accounts\/[^/]+\/contacts\/[^/]+$/, roles: WORKERS },
  { service: 'renewals', methods: ['PUT', 'POST'], path: /^\/contracts(\/import|\/[^/]+\/outcome)?$/, roles: WORKERS },
  // Configuration.
  { service: 'health', methods: WRITE, path: /^\/(scorecards|personas)(\/.*)?$/, roles: CONFIGURERS },
  { service: 'playbooks', methods: WRITE, path: /^\/playbooks(\/.*)?$/, roles: CONFIGURERS },
  { service: 'surveys', methods: WRITE, path: /^\/surveys(\/.*)?$/, roles: CONFIGURERS },
  { service: 'ingestion', methods: ['PUT'], path: /^\/settings\/detection$/, roles: CONFIGURERS },
  // Everything else of the services' own APIs can be read by anyone signed in.
  { service: 'ingestion', methods: READ, path: /^\/(accounts|contacts|settings|quarantine)(\/.*)?$/, roles: EVERYONE },
  { service: 'surveys', methods: READ, path: /^\/surveys(\/.*)?$/, roles: EVERYONE },
  { service: 'health', methods: READ, path: /^\/(accounts|scorecards|personas|users)(\/.*)?$/, roles: EVERYONE },
  { service: 'playbooks', methods: READ, path: /^\/(tasks|alerts|inbox|playbooks|signals|accounts)(\/.*)?$/, roles: EVERYONE },
  { service: 'renewals', methods: READ, path: /^\/(contracts|renewals)(\/.*)?$/, roles: EVERYONE },
];

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; status: 403 | 404; reason: string };

/** May a user with `role` send `method path` to `service`? `path` has no query string. */
export function decideAccess(role: Role, service: string, method: string, path: string): AccessDecision {
  if (!isOwningService(service)) return { allowed: false, status: 404, reason: `no service '${service}'` };
  const m = method.toUpperCase();
  const rule = RULES.find((r) => r.service === service && r.methods.includes(m) && r.path.test(path));
  if (!rule) return { allowed: false, status: 404, reason: `${m} ${path} is not available through the console` };
  if (!rule.roles.includes(role)) {
    return { allowed: false, status: 403, reason: `the ${role} role may not ${m === 'GET' ? 'read' : 'change'} this (${m} /${service}${path}); needs ${rule.roles.join(' or ')}` };
  }
  return { allowed: true };
}

/** Where the state a write will change can be read beforehand (for the audit log's "before"). */
export function beforeStatePath(method: string, path: string, body: unknown): string | undefined {
  const m = method.toUpperCase();
  if (m === 'PATCH' || m === 'DELETE' || (m === 'PUT' && /\/[^/]+\/[^/]+$/.test(path))) return path;
  if (m === 'PUT' && /^\/contracts$/.test(path) && body && typeof (body as { id?: unknown }).id === 'string') {
    return `/contracts/${encodeURIComponent((body as { id: string }).id)}`;
  }
  // POST /x/:id/<verb> changes /x/:id.
  const verb = /^(\/[^/]+\/[^/]+)\/(ack|activate|outcome)$/.exec(path);
  if (m === 'POST' && verb) return verb[1];
  if (m === 'PUT' && /^\/[^/]+\/[^/]+$/.test(path)) return path;
  return undefined;
}
