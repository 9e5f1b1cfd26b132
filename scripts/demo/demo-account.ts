// The demo account `npm start` sets up, and the tokens it hands out (one per role).

export const DEMO_ACCOUNT = {
  /** A platform-style account number, as the Agent Workspace URL carries it. */
  id: '70071528',
  name: 'Acme Contact Center',
  timezone: 'Europe/Berlin',
  /** Auditing was switched on this long before the account is created... */
  auditEnabledDaysAgo: 182,
  /** ...and the seeded history covers about this many days before now. */
  historyDays: 152,
} as const;

export type DemoScope = 'events:write' | 'audit:read' | 'audit:export' | 'account:admin';

export interface DemoTokenRole {
  role: string;
  name: string;
  scopes: DemoScope[];
  purpose: string;
}

export const DEMO_TOKEN_ROLES: readonly DemoTokenRole[] = [
  { role: 'emitter', name: 'Demo workspace (emitter)', scopes: ['events:write'], purpose: 'the demo workspace posts changes with it' },
  { role: 'viewer', name: 'Viewer', scopes: ['audit:read'], purpose: 'sees the audit trail' },
  { role: 'viewerWithExport', name: 'Viewer with export', scopes: ['audit:read', 'audit:export'], purpose: 'sees and exports the audit trail' },
  { role: 'accountAdmin', name: 'Account admin', scopes: ['account:admin'], purpose: 'manages tokens and settings' },
  { role: 'admin', name: 'Admin (all scopes)', scopes: ['events:write', 'audit:read', 'audit:export', 'account:admin'], purpose: 'everything' },
];
