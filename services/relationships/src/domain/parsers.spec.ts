import { intercomConversationNotification, zendeskTicketEvent } from '../../test/fixtures/vendor-payloads';
import { parseIntercomNotification } from './intercom';
import { changeKind, isEscalated } from './ticket';
import { parseZendeskEvent } from './zendesk';

describe('Zendesk ticket events', () => {
  it('reads the ticket state from detail', () => {
    const o = parseZendeskEvent(zendeskTicketEvent({ eventId: 'e1', ticketId: '35436', organizationId: '509974', time: '2026-11-30T09:00:00Z', priority: 'URGENT', tags: ['Escalated'] }))!;
    expect(o).toMatchObject({ deliveryId: 'e1', externalId: '35436', status: 'open', priority: 'urgent', organizationId: '509974', tags: ['Escalated'] });
    expect(isEscalated(o)).toBe(true);
  });
  it('takes an agent\'s public comment as the first response and a solved status as the resolution', () => {
    const reply = parseZendeskEvent(zendeskTicketEvent({
      eventId: 'e2', type: 'zen:event-type:ticket.comment_added', ticketId: '1', organizationId: '2', time: '2026-11-30T10:00:00Z',
      event: { comment: { id: '9', body: 'Looking', is_public: true, author: { id: '5', is_staff: true, name: 'Agent' } } },
    }))!;
    expect(reply.firstResponseAt?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    const solved = parseZendeskEvent(zendeskTicketEvent({ eventId: 'e3', type: 'zen:event-type:ticket.status_changed', ticketId: '1', organizationId: '2', status: 'SOLVED', time: '2026-11-30T12:00:00Z' }))!;
    expect(solved.solvedAt?.toISOString()).toBe('2026-11-30T12:00:00.000Z');
  });
  it('ignores events that are not about tickets and names what is missing', () => {
    expect(parseZendeskEvent({ type: 'zen:event-type:user.active_changed', id: 'x', time: '2026-11-30T09:00:00Z' })).toBeNull();
    expect(() => parseZendeskEvent({ type: 'zen:event-type:ticket.created', id: 'x', time: '2026-11-30T09:00:00Z' })).toThrow(/detail.id/);
  });
});

describe('Intercom conversation notifications', () => {
  it('reads state, requester email, first reply and rating', () => {
    const o = parseIntercomNotification(intercomConversationNotification({
      notificationId: 'notif_1', topic: 'conversation.admin.closed', conversationId: '1911149811', email: 'ada@acme.example',
      state: 'closed', createdAt: 1_764_000_000, updatedAt: 1_764_007_200, sentAt: 1_764_007_201, firstAdminReplyAt: 1_764_000_600,
      closedAt: 1_764_007_200, rating: 2,
    }))!;
    expect(o).toMatchObject({ deliveryId: 'notif_1', externalId: '1911149811', status: 'closed', requesterEmail: 'ada@acme.example', satisfaction: 'bad', satisfactionScore: 2 });
    expect(o.firstResponseAt?.getTime()).toBe(1_764_000_600_000);
  });
  it('ignores ping and contact topics', () => {
    expect(parseIntercomNotification({ type: 'notification_event', id: 'n', topic: 'ping', data: { item: {} } })).toBeNull();
  });
});

describe('what a publication says happened', () => {
  it('is opened the first time, solved when it becomes solved, updated otherwise', () => {
    expect(changeKind('open', null)).toBe('opened');
    expect(changeKind('solved', null)).toBe('solved');
    expect(changeKind('solved', 'open')).toBe('solved');
    expect(changeKind('pending', 'open')).toBe('updated');
  });
});
