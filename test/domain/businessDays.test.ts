import { addBusinessDays } from '../../domain/businessDays';
import { supportDueDate } from '../../domain/supportRequests';

describe('business days', () => {
  test.each([
    ['Monday', '2026-11-16T10:00:00Z', '2026-11-18T10:00:00Z'],
    ['Wednesday', '2026-11-18T23:30:00Z', '2026-11-20T23:30:00Z'],
    ['Thursday', '2026-11-19T10:00:00Z', '2026-11-23T10:00:00Z'],
    ['Friday', '2026-11-20T10:00:00Z', '2026-11-24T10:00:00Z'],
    ['Saturday', '2026-11-21T09:00:00Z', '2026-11-24T09:00:00Z'],
    ['Sunday', '2026-11-22T09:00:00Z', '2026-11-24T09:00:00Z'],
    ['Friday night, across a month', '2026-07-31T23:59:00Z', '2026-08-04T23:59:00Z'],
    ['New Year, across a year', '2026-12-31T12:00:00Z', '2027-01-04T12:00:00Z'],
  ])('a request on %s is due two business days later', (_day, from, due) => {
    expect(supportDueDate(new Date(from)).toISOString()).toBe(new Date(due).toISOString());
  });

  test.each([
    [0, '2026-11-21T09:00:00Z'],
    [1, '2026-11-23T09:00:00Z'],
    [5, '2026-11-27T09:00:00Z'],
    [10, '2026-12-04T09:00:00Z'],
  ])('Saturday plus %i business days', (days, expected) => {
    expect(addBusinessDays(new Date('2026-11-21T09:00:00Z'), days).toISOString()).toBe(new Date(expected).toISOString());
  });

  test.each([-1, 1.5, Number.NaN])('refuses %p days', (days) => {
    expect(() => addBusinessDays(new Date(), days)).toThrow(RangeError);
  });
});
