import assert from "node:assert/strict";
import { HistorySearch } from "../../lib/repl/history_search.ts";

const ENTRIES = ["fetch(a)", "other", "await fetch(b)", "fetch(b)x", "newest"];

Deno.test("HistorySearch finds the newest line containing the query, then older ones", () => {
  const search = new HistorySearch(ENTRIES);
  assert.equal(search.match, undefined);
  assert.equal(search.prompt, "(reverse-i-search)`': ");
  search.type("fetch");
  assert.equal(search.match, "fetch(b)x");
  search.older();
  assert.equal(search.match, "await fetch(b)");
  assert.equal(search.position, 6, "where the query starts in the match");
  search.older();
  assert.equal(search.match, "fetch(a)");
  search.older();
  assert.equal(search.failed, true);
  assert.equal(search.match, "fetch(a)", "the last match stays");
  assert.equal(search.prompt, "(failed reverse-i-search)`fetch': ");
});

Deno.test("HistorySearch keeps the current match while typing narrows it", () => {
  const search = new HistorySearch(ENTRIES);
  search.type("fetch");
  search.older();
  search.type("(b");
  assert.equal(search.match, "await fetch(b)");
  search.type(")x");
  assert.equal(search.failed, true, "only older lines are searched: the newest is not found");
  search.backspace();
  assert.equal(search.failed, false);
  assert.equal(search.match, "fetch(b)x", "backspace searches again from the newest");
});

Deno.test("HistorySearch skips older lines equal to the one shown", () => {
  const search = new HistorySearch(["x = 2", "x = 1", "y", "x = 1"]);
  search.type("x =");
  assert.equal(search.match, "x = 1");
  search.older();
  assert.equal(search.match, "x = 2");
});

Deno.test("HistorySearch counts the match position in code points", () => {
  const search = new HistorySearch(["'🙂' + tail"]);
  search.type("tail");
  assert.equal(search.position, [..."'🙂' + "].length);
});
