import { describe, expect, it } from 'vitest';
import { waitSecondsAfter } from '../../src-main/core/staff/staff.service.js';

describe('waitSecondsAfter (login throttling)', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 2],
    [4, 4],
    [5, 8],
    [10, 256],
    [11, 300],
    [1000, 300],
  ])('after %i failures waits %i s', (failures, seconds) => {
    expect(waitSecondsAfter(failures)).toBe(seconds);
  });
});
