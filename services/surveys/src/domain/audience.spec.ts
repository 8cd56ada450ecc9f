import { selectAudience } from './audience';

const contacts = [
  { contactId: 'ana', email: 'ana@acme.example', role: 'champion', accountIds: ['acme'] },
  { contactId: 'bo', email: null, role: 'end_user', accountIds: ['acme'] },
  { contactId: 'cy', email: 'cy@globex.example', role: 'admin', accountIds: ['globex'] },
  { contactId: 'dee', email: 'dee@initech.example', role: 'champion', accountIds: ['initech', 'acme'] },
];
const accounts = [
  { accountId: 'acme', segment: 'enterprise', plan: 'pro' },
  { accountId: 'globex', segment: 'smb', plan: 'pro' },
  { accountId: 'initech', segment: 'smb', plan: 'basic' },
];

describe('survey audience', () => {
  it('invites the contacts of the named accounts and skips those an email cannot reach', () => {
    const r = selectAudience({ accountIds: ['acme'] }, contacts, accounts, 'email');
    expect(r.invitees).toEqual([
      { contactId: 'ana', accountId: 'acme', email: 'ana@acme.example' },
      { contactId: 'dee', accountId: 'acme', email: 'dee@initech.example' },
    ]);
    expect(r.skipped).toEqual([{ contactId: 'bo', reason: 'has no email address' }]);
  });

  it('selects by segment, plan and role, and in-app needs no email', () => {
    expect(selectAudience({ segment: 'smb' }, contacts, accounts, 'in_app').invitees.map((i) => [i.contactId, i.accountId]))
      .toEqual([['cy', 'globex'], ['dee', 'initech']]);
    expect(selectAudience({ plan: 'pro', roles: ['end_user', 'admin'] }, contacts, accounts, 'in_app').invitees.map((i) => i.contactId))
      .toEqual(['bo', 'cy']);
  });

  it('names contacts it does not know', () => {
    const r = selectAudience({ contactIds: ['cy', 'zed'] }, contacts, accounts, 'email');
    expect(r.invitees.map((i) => i.contactId)).toEqual(['cy']);
    expect(r.skipped).toEqual([{ contactId: 'zed', reason: 'is not a known contact (no directory event yet)' }]);
  });
});
