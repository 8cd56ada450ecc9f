import {
  departureFromEmailDomain, departureFromInactivity, departureFromRemoval, departureFromTraits, departureReason,
  isKeyContact, normalizeDomain, onDomain, parseContactRole, returnedPerTraits,
} from './champion-departure';

describe('champion departure rules', () => {
  it.each([
    [{ status: 'left' }, 'status'], [{ status: 'Deactivated' }, 'status'], [{ status: 'churned' }, 'status'],
    [{ departed: true }, 'departed'], [{ deactivated: true }, 'deactivated'], [{ active: false }, 'active'],
  ])('reads %j as a departure by traits', (traits, trait) => {
    const s = departureFromTraits(traits);
    expect(s).toMatchObject({ rule: 'traits', evidence: { trait } });
  });

  it.each([[{ status: 'active' }], [{ active: true }], [{ departed: false }], [{}], [undefined]])('does not read %j as a departure', (traits) => {
    expect(departureFromTraits(traits)).toBeNull();
  });

  it('knows when traits say a person is back', () => {
    expect(returnedPerTraits({ status: 'active' })).toBe(true);
    expect(returnedPerTraits({ title: 'VP' })).toBe(false);
  });

  it('fires when the email moves away from the account domain, with both addresses as evidence', () => {
    const s = departureFromEmailDomain('dana@acme.com', 'dana@gmail.com', 'https://www.acme.com');
    expect(s).toEqual(expect.objectContaining({
      rule: 'email-domain', evidence: { previousEmail: 'dana@acme.com', email: 'dana@gmail.com', accountDomain: 'acme.com' },
    }));
  });

  it('does not fire for an email that stays on the domain or a subdomain, or never was on it', () => {
    expect(departureFromEmailDomain('dana@acme.com', 'dana.r@eu.acme.com', 'acme.com')).toBeNull();
    expect(departureFromEmailDomain('dana@gmail.com', 'dana@yahoo.com', 'acme.com')).toBeNull();
    expect(departureFromEmailDomain('dana@acme.com', 'dana@other.io', null)).toBeNull();
    expect(departureFromEmailDomain(null, 'dana@other.io', 'acme.com')).toBeNull();
  });

  it('fires for inactivity only once the threshold has passed', () => {
    const seen = new Date('2025-01-01T10:00:00Z');
    expect(departureFromInactivity(seen, new Date('2025-01-30T10:00:00Z'), 30)).toBeNull();
    expect(departureFromInactivity(seen, new Date('2025-02-01T10:00:00Z'), 30)).toMatchObject({
      rule: 'inactive', evidence: { inactiveDays: 31, thresholdDays: 30, lastSeenAt: '2025-01-01T10:00:00.000Z' },
    });
  });

  it('explains the departure in a sentence a CSM can read', () => {
    const reason = departureReason({ id: 'u1', name: 'Dana Reyes', email: 'dana@acme.com' }, 'champion',
      { id: 'acme', name: 'Acme Corp' }, departureFromTraits({ status: 'left' })!);
    expect(reason).toBe("Dana Reyes <dana@acme.com> (champion at Acme Corp) is gone: identify traits say status = 'left'");
    expect(departureReason({ id: 'u2' }, 'decision_maker', { id: 'acme' }, departureFromRemoval('api')))
      .toBe('u2 (decision maker at acme) was removed from the account in Cairn');
  });

  it('parses roles and domains the way people write them', () => {
    expect(parseContactRole('Decision Maker')).toBe('decision_maker');
    expect(parseContactRole('champion')).toBe('champion');
    expect(parseContactRole('ceo')).toBeUndefined();
    expect(isKeyContact('decision_maker')).toBe(true);
    expect(isKeyContact('admin')).toBe(false);
    expect(normalizeDomain('https://www.Acme.com/about')).toBe('acme.com');
    expect(normalizeDomain('not a domain')).toBeUndefined();
    expect(onDomain('x@mail.acme.com', 'acme.com')).toBe(true);
  });
});
