import type { Database } from '../../src/db/database.ts';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrderWorkflow } from '../../src/orders/order-workflow.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import type { Principal } from '../../src/users/principal.ts';
import { orderInput } from './fixtures.ts';

export interface Completion {
  equipment: string;
  total: string;
  materials: string;
  review?: boolean;
  away?: boolean;
  /** Taken at a long repair, before completion. */
  prepayment?: string;
}

/** Drives orders through the real workflow: created by an admin, worked and completed by a master. */
export function orderDriver(db: Database, admin: Principal) {
  const changes = new OrderChangeFeed();
  const orders = new OrdersService(db, changes);
  const workflow = new OrderWorkflow(db, changes);
  return {
    workflow,
    /** A NEW order of this type. */
    async created(equipment = 'washing_machine'): Promise<number> {
      return (await orders.create(admin, orderInput({ equipment_type: equipment }))).order.id;
    },
    /** An order of this type at IN_PROGRESS (LONG_REPAIR with a prepayment) with this master. */
    async started(master: Principal, equipment: string, prepayment?: string): Promise<number> {
      if (master.masterId === null) throw new Error(`${master.name} is not a master`);
      const { order } = await orders.create(admin, orderInput({ equipment_type: equipment }));
      await workflow.act(admin, order.id, 'assign', { master_id: master.masterId });
      await workflow.act(master, order.id, 'accept', {});
      await workflow.act(master, order.id, 'arrive', {});
      if (prepayment) await workflow.act(master, order.id, 'long_repair', { estimated_completion_date: '2030-01-15', prepayment_amount: prepayment });
      return order.id;
    },
    async completed(master: Principal, c: Completion): Promise<number> {
      const id = await this.started(master, c.equipment, c.prepayment);
      await workflow.act(master, id, 'complete', {
        total_amount: c.total,
        materials_cost: c.materials,
        has_review: c.review ?? false,
        out_of_city: c.away ?? false,
      });
      return id;
    },
  };
}
