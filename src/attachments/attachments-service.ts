import type { Database } from '../db/database.ts';
import type { RowOf } from '../db/types.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { canRead } from '../orders/order-access.ts';
import type { OrderView } from '../orders/order-view.ts';
import type { OrdersService } from '../orders/orders-service.ts';
import type { Principal } from '../users/principal.ts';
import { ATTACHMENT_COLUMNS, countAttachments, insertAttachment, listAttachments } from './attachments.sql.ts';

export type Attachment = RowOf<typeof ATTACHMENT_COLUMNS>;
export const ATTACHMENT_STAGES = ['appliance', 'before', 'after', 'document'] as const;
export type AttachmentStage = (typeof ATTACHMENT_STAGES)[number];

export interface NewAttachment {
  stage: AttachmentStage;
  media: 'photo' | 'document';
  fileId: string;
  fileUniqueId: string;
  fileName: string | null;
}

/**
 * Photos and documents on an order, kept as Telegram file ids. Whoever may
 * read the order (staff, its master) may add to it and see them; the order
 * read decides, so a master of another order finds nothing.
 */
export class AttachmentsService {
  private readonly db: Database;
  private readonly orders: OrdersService;
  constructor(db: Database, orders: OrdersService) {
    this.db = db;
    this.orders = orders;
  }

  async add(actor: Principal, orderId: number, file: NewAttachment): Promise<{ id: number; added: boolean }> {
    if (!(ATTACHMENT_STAGES as readonly string[]).includes(file.stage)) throw new ValidationError('is not a stage of an order', { field: 'stage' });
    await this.orders.get(actor, orderId);
    const saved = await insertAttachment(this.db, { orderId, actorId: actor.userId, ...file });
    if (!saved) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    return saved;
  }

  async list(actor: Principal, orderId: number): Promise<Attachment[]> {
    await this.orders.get(actor, orderId);
    return listAttachments(this.db, orderId);
  }

  /** Photos and documents on an order the reader was just shown (the order read decided; no second read). */
  async count(actor: Principal, order: Pick<OrderView, 'id' | 'master_id'>): Promise<{ photos: number; documents: number }> {
    if (!canRead(actor, order)) throw new NotFoundError(`order ${order.id} not found`, { field: 'id' });
    return countAttachments(this.db, order.id);
  }
}
