/**
 * A delivered notification stamped in the record. The delivery activity and the projection that
 * inserts the notification's row run side by side (the workflow starts both in the same task),
 * so a quick delivery can finish before the row exists: the stamp then inserts the row itself,
 * delivered, and the projection's later insert of the same id does nothing.
 */
import type { Notification } from '../domain/types';
import type { RecordDb } from './db';

export async function stampDelivered(db: RecordDb, n: Pick<Notification, 'id' | 'entryId' | 'kind' | 'recipients' | 'dueAt'>, at: Date): Promise<void> {
  await db
    .insertInto('notifications')
    .values({ id: n.id, entry_id: n.entryId, kind: n.kind, recipients: JSON.stringify(n.recipients), due_at: n.dueAt, delivered_at: at })
    // the first delivery's time stands
    .onConflict((oc) => oc.column('id').doUpdateSet({ delivered_at: (eb) => eb.fn.coalesce('notifications.delivered_at', 'excluded.delivered_at') }))
    .execute();
}
