import type { Database } from '../../db/database.ts';
import type { BoardService } from '../board-service.ts';
import { LiveHub, type HubLogger } from './hub.ts';
import { ChangeListener, type ListenerLogger } from './listener.ts';

export interface Live {
  hub: LiveHub;
  listener: ChangeListener;
  stop(): Promise<void>;
}

/**
 * The console's live updates for one instance: the LISTEN session on
 * `listenUrl` (DATABASE_LISTEN_URL, else the service's database) feeding
 * the event hub. A first connection that fails is retried in the
 * background: the service starts either way.
 */
export async function startLive(listenUrl: string, db: Database, board: BoardService, logger: HubLogger & ListenerLogger, heartbeatMs: number): Promise<Live> {
  const hub = new LiveHub(db, board, logger, { heartbeatMs });
  const listener = new ChangeListener(listenUrl, hub, logger, { watched: () => hub.size > 0 });
  hub.onAttach(() => listener.wake());
  await listener.start();
  return {
    hub,
    listener,
    async stop() {
      hub.stop();
      await listener.stop();
    },
  };
}
