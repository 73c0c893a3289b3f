// A live stream that comes back. The browser reconnects by itself after a dropped connection, but
// gives up for good on an answer other than 200 (a 429 when a user has too many tabs open, a proxy's
// 502 while the server restarts): then the stream is opened again, 2 s later, doubling up to a minute.
function liveEvents(url, listeners, shown = () => {}) {
  let wait = 2000;
  const open = () => {
    const source = new EventSource(url);
    source.addEventListener("open", () => { wait = 2000; shown(true); });
    source.addEventListener("error", () => {
      shown(false);
      if (source.readyState !== EventSource.CLOSED) return;
      setTimeout(open, wait);
      wait = Math.min(wait * 2, 60000);
    });
    for (const [name, listener] of Object.entries(listeners)) source.addEventListener(name, listener);
  };
  open();
}

// The live ticket queue: server-sent events say when tickets change; the rows are fetched again and
// tickets not seen before count as unread (badge, page title, optional browser notification).
(() => {
  "use strict";
  const head = document.getElementById("queue");
  const pickAll = document.getElementById("pick-all");
  if (pickAll) {
    pickAll.addEventListener("change", () => {
      for (const box of document.querySelectorAll('#rows input[name="ids"]')) box.checked = pickAll.checked;
    });
  }
  if (!head || !window.EventSource) return;
  const badge = document.getElementById("unread");
  const notify = document.getElementById("notify");
  const liveState = document.getElementById("live-state");
  const count = document.getElementById("count");
  const title = document.title;
  const fill = (template, n) => template.replace("{n}", String(n));
  const idsOf = (tbody) => (tbody.dataset.ids ? tbody.dataset.ids.split(",") : []);
  const seen = new Set(idsOf(document.getElementById("rows")));
  let unread = 0;
  let lastStamp = null;

  function showUnread() {
    badge.hidden = unread === 0;
    badge.textContent = fill(head.dataset.unreadText, unread);
    document.title = unread ? `(${unread}) ${title}` : title;
  }
  badge.addEventListener("click", () => {
    unread = 0;
    for (const row of document.querySelectorAll("#rows tr.new")) row.classList.remove("new");
    showUnread();
  });
  if (window.Notification && Notification.permission === "default") {
    notify.hidden = false;
    notify.addEventListener("click", async () => {
      await Notification.requestPermission();
      notify.hidden = true;
    });
  }

  async function refresh() {
    const response = await fetch(head.dataset.fragment, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    const holder = document.createElement("table");
    holder.innerHTML = (await response.text()).trim();
    const rows = holder.querySelector("tbody");
    if (!rows) return;
    const picked = new Set([...document.querySelectorAll('#rows input[name="ids"]:checked')].map((b) => b.value));
    const fresh = idsOf(rows).filter((id) => !seen.has(id));
    for (const id of fresh) seen.add(id);
    for (const row of rows.querySelectorAll("tr[data-ticket]")) {
      if (fresh.includes(row.dataset.ticket)) row.classList.add("new");
      const box = row.querySelector('input[name="ids"]');
      if (box && picked.has(box.value)) box.checked = true;
    }
    document.getElementById("rows").replaceWith(rows);
    count.textContent = fill(head.dataset.countText, rows.dataset.total);
    document.getElementById("tickets").hidden = rows.children.length === 0;
    document.getElementById("empty").hidden = rows.children.length !== 0;
    if (fresh.length) {
      unread += fresh.length;
      showUnread();
      if (window.Notification && Notification.permission === "granted" && document.hidden) {
        new Notification(fill(head.dataset.notifyText, fresh.length));
      }
    }
  }

  liveEvents(head.dataset.live, {
    queue: (event) => {
      const stamp = event.data;
      if (stamp !== lastStamp) refresh(); // the first event too: tickets may have changed since the page was drawn
      lastStamp = stamp;
    },
  }, (open) => { liveState.hidden = !open; });
})();

// A conversation's (or its ticket's) page: new messages appear without a reload; the customer's
// new ones are counted (badge and page title) until the badge is clicked.
(() => {
  "use strict";
  const list = document.getElementById("transcript");
  if (!list || !list.dataset.live || !window.EventSource) return;
  const badge = document.getElementById("unread-messages");
  const title = document.title;
  let unread = 0;
  let newest = null;

  function showUnread() {
    if (badge) {
      badge.hidden = unread === 0;
      badge.textContent = list.dataset.unreadText.replace("{n}", String(unread));
    }
    document.title = unread ? `(${unread}) ${title}` : title;
  }
  if (badge) badge.addEventListener("click", () => { unread = 0; showUnread(); });

  async function refresh() {
    const response = await fetch(list.dataset.fragment, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = (await response.text()).trim();
    const fresh = holder.querySelector("#transcript");
    const current = document.getElementById("transcript");
    if (!fresh || !current) return;
    const before = current.querySelectorAll("li.in").length;
    const came = fresh.querySelectorAll("li.in").length - before;
    current.replaceChildren(...fresh.children);
    if (came > 0) {
      unread += came;
      showUnread();
    }
  }

  liveEvents(list.dataset.live, {
    queue: (event) => {
      const messages = JSON.parse(event.data).messages;
      if (messages !== newest) refresh(); // the first event too: a message may have come since the page was drawn
      newest = messages;
    },
  });
})();
