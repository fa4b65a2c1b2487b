/**
 * The task last started or resumed from a library await, kept by id and
 * name (no reference): debug mode names it when the event loop was blocked.
 */
let lastId = 0;
let lastName: string | undefined;

/**
 * A task starts or resumes now.
 *
 * @param id Its id.
 * @param name The name it was given, if any.
 */
export function noteResumedTask(id: number, name: string | undefined): void {
  lastId = id;
  lastName = name;
}

/**
 * The task last started or resumed.
 *
 * @returns Its id and name, or `undefined` before any task ran.
 */
export function lastResumedTask(): { id: number; name: string } | undefined {
  return lastId === 0 ? undefined : { id: lastId, name: lastName ?? `Task-${lastId}` };
}
