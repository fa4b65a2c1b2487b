/** A fixed set of task descriptions the renderer tests share. */
import type { TaskInfo } from "../../monitor.ts";

/** A run whose main waits on two 1 s children that overlap, one cancelled, one failed. */
export const INFOS: TaskInfo[] = [
  { id: 1, name: "main", state: "waiting", createdAt: 0, startedAt: 0, waitingOn: "gather(2)" },
  {
    id: 2,
    name: "download",
    state: "done",
    parentId: 1,
    createdAt: 0,
    startedAt: 0,
    endedAt: 1000,
    result: '"ok"',
  },
  {
    id: 3,
    name: "upload",
    state: "waiting",
    parentId: 1,
    createdAt: 0,
    startedAt: 10,
    waitingOn: "sleep(1000)",
  },
  {
    id: 4,
    name: "retry-with-a-very-long-descriptive-name",
    state: "cancelled",
    parentId: 3,
    createdAt: 500,
    startedAt: 500,
    endedAt: 1500,
    error: "CancelledError(timeout)",
    cancelReason: "timeout",
  },
  {
    id: 5,
    name: "parse",
    state: "failed",
    parentId: 2,
    createdAt: 1000,
    startedAt: 1500,
    endedAt: 1800,
    error: "SyntaxError: Unexpected token } in JSON at position 10",
  },
  { id: 6, name: "later", state: "pending", parentId: 1, createdAt: 1900 },
];

/** The moment the infos describe. */
export const NOW = 2000;
