import { changeDigestConsumer } from './change-digest.consumer.js';
import type { Consumer } from './runner.js';
import { notificationsConsumer } from '../notifications/notifications.consumer.js';

/**
 * Every consumer of the change log, in one list (like the handler map). Next here:
 * notifications (core/notifications/…consumer.ts), payment follow-up, the sync pusher.
 * Live notices are not a consumer: the dispatcher publishes them in-process after commit.
 */
export const consumers: readonly Consumer[] = [changeDigestConsumer, notificationsConsumer];
