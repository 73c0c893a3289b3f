// csatbot web chat: posts customer messages, long-polls for the conversation, draws survey buttons.
(() => {
  const params = new URLSearchParams(location.search);
  const user = params.get("user") || localStorage.getItem("csatbot.user") ||
    "web-" + crypto.getRandomValues(new Uint32Array(2)).join("");
  localStorage.setItem("csatbot.user", user);
  const locale = params.get("lang") || navigator.language || "en";
  const log = document.getElementById("log");
  const input = document.getElementById("text");
  document.getElementById("me").textContent = user;
  let after = 0;

  function newId() { return crypto.getRandomValues(new Uint32Array(4)).join("-"); }

  async function post(body) {
    const payload = Object.assign({ user, locale, id: newId() }, body);
    for (let attempt = 0; attempt < 5; attempt++) {   // same id on every retry: the server ignores resends
      try {
        const res = await fetch("/api/webchat/messages", {
          method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
        if (res.ok) return true;
        if (res.status < 500) return false;
      } catch (e) { /* network hiccup: retry */ }
      await new Promise(r => setTimeout(r, 500 * (attempt + 1)));
    }
    return false;
  }

  function draw(m) {
    const li = document.createElement("li");
    li.dataset.id = m.id;
    li.className = m.direction === "in" ? "in" : "out";
    if (m.author.startsWith("agent:")) {
      li.classList.add("agent");
      const by = document.createElement("span");
      by.className = "by"; by.textContent = m.author.slice(6);
      li.append(by);
    }
    const prompt = m.prompt || {};
    li.append(document.createTextNode(prompt.text !== undefined ? prompt.text : m.text));
    if (prompt.options && prompt.options.length) {
      const box = document.createElement("div");
      box.className = "options";
      box.dataset.survey = prompt.survey; box.dataset.step = prompt.step;
      for (const o of prompt.options) {
        const b = document.createElement("button");
        b.type = "button"; b.textContent = o.label; b.dataset.value = o.id;
        b.setAttribute("aria-label", prompt.step + " " + o.id);
        b.addEventListener("click", async () => {
          box.querySelectorAll("button").forEach(x => x.disabled = true);
          b.classList.add("picked");
          await post({ choice: { survey: prompt.survey, step: prompt.step, value: o.id, label: o.label } });
        });
        box.append(b);
      }
      li.append(box);
    }
    if (prompt.hint) {
      const h = document.createElement("span");
      h.className = "hint"; h.textContent = prompt.hint;
      li.append(h);
    }
    log.append(li);
    log.scrollTop = log.scrollHeight;
  }

  async function poll() {
    for (;;) {
      try {
        const res = await fetch(`/api/webchat/messages?user=${encodeURIComponent(user)}&after=${after}&wait=20`);
        if (res.ok) {
          const data = await res.json();
          data.messages.forEach(draw);
          after = data.last_id;
          continue;
        }
      } catch (e) { /* server restarting: try again shortly */ }
      await new Promise(r => setTimeout(r, 1000));
    }
  }

  document.getElementById("composer").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    await post({ text });
  });
  poll();
})();
