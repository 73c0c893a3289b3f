// csatbot web chat: posts customer messages, long-polls for the conversation, draws survey buttons.
// Page chrome is translated here (English, or Chinese when the browser prefers zh); bot texts come
// from the server in the customer's locale.
// Who the customer is lives in an HttpOnly session cookie the server issues (POST /api/webchat/session),
// never in a URL. A site that knows its users sets, before this script,
//   window.csatbotIdentity = { userId: "u-42", userHash: "<hex HMAC-SHA256 of userId, from its server>" }
// so a returning customer gets their history on any device.
(() => {
  const params = new URLSearchParams(location.search);
  // The server keeps a tag's language, script and region; it refuses only what no browser sends.
  const locale = (params.get("lang") || navigator.language || "en").slice(0, 100);
  const zh = locale.toLowerCase().startsWith("zh");
  const MAX_TEXT = 4096;   // characters (code points, as the server counts: an emoji is one)
  const T = zh ? {
    title: "在线客服", placeholder: "输入消息…", send: "发送",
    empty: "有什么可以帮您？在下面输入消息，客服会在这里回复。",
    offline: "无法连接服务器，正在重试…", failed: "消息未发送：", retry: "请稍后再试。",
    skip: "跳过此题", picked: "已选择", group: "选项",
    closed: "该问题已结束（已在其他窗口回答，或已过期）。",
    tooLong: (n) => `消息太长（${n} / ${MAX_TEXT.toLocaleString("en-US")} 字）：请分几条发送。`,
    refused: "无法确认您的身份，聊天无法开始。请刷新页面；如仍有问题，请通过其他方式联系我们。",
  } : {
    title: "Support chat", placeholder: "Type a message…", send: "Send",
    empty: "How can we help? Type a message below and an agent will answer here.",
    offline: "Can't reach the server. Retrying…", failed: "Message not sent: ", retry: "please try again.",
    skip: "Skip this question", picked: "picked", group: "options",
    closed: "That question is already closed (answered in another tab, or expired).",
    tooLong: (n) => `Too long (${n} / ${MAX_TEXT.toLocaleString("en-US")} characters): please send it in parts.`,
    refused: "This chat can't confirm who you are, so it can't start. Please reload the page; if it keeps happening, contact us another way.",
  };

  const $ = (id) => document.getElementById(id);
  const log = $("log"), input = $("text"), status = $("status"), count = $("count");
  document.documentElement.lang = zh ? "zh-CN" : "en";
  document.title = "csatbot · " + T.title;
  $("send").textContent = T.send;
  $("empty").textContent = T.empty;
  input.placeholder = T.placeholder;
  let after = 0;

  function showStatus(text) { status.textContent = text; status.hidden = !text; }

  function newId() { return crypto.getRandomValues(new Uint32Array(4)).join("-"); }

  // A nap after a failure; going back online ends it at once.
  const napping = new Set();
  function nap(ms) {
    return new Promise(r => {
      const up = () => { clearTimeout(timer); napping.delete(up); r(); };
      const timer = setTimeout(up, ms);
      napping.add(up);
    });
  }
  addEventListener("online", () => napping.forEach(up => up()));

  // A request that gets no answer (a connection the network dropped without a word) is given up
  // after `ms` more than the server may take, so what waits behind it does not wait for ever.
  const PATIENCE_MS = 15000;
  function timed(url, options, ms = PATIENCE_MS) {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), ms);
    return fetch(url, Object.assign({ signal: stop.signal }, options)).finally(() => clearTimeout(timer));
  }

  // A refusal that asking again cannot change (a site's user_hash the server rejects, identities
  // switched off): the page stops and says so, instead of asking every second for ever.
  let refused = null;
  function giveUp(why) {
    if (refused) return;
    refused = why;
    console.error(`csatbot chat: the server refused the chat session (${why}); not retrying. ` +
      "A site that sets window.csatbotIdentity must give userHash = hex HMAC-SHA256 of userId " +
      "under CSATBOT_WEBCHAT_IDENTITY_SECRET.");
    showStatus(T.refused);
    input.disabled = true; $("send").disabled = true;
  }
  function permanent(res) { return res.status >= 400 && res.status < 500 && ![401, 408, 429].includes(res.status); }

  // Start (or renew) the session; the cookie it sets carries who the customer is. A browser that
  // keeps no cookie (cookies blocked, or a third-party frame) gets it as a token instead, sent in
  // X-Chat-Session and kept for this tab (sessionStorage, where the browser allows it).
  const TOKEN_KEY = "csatbot-chat-session";
  const RENEW_MS = 24 * 3600 * 1000;   // a session lasts 7 days from its last renewal: an open tab renews daily
  let token = null;
  try { token = sessionStorage.getItem(TOKEN_KEY); } catch (e) { /* storage blocked too */ }
  let useToken = token !== null || !navigator.cookieEnabled;
  let session = null, issuedAt = 0;
  const working = new WeakSet();   // sessions the server has accepted at least once

  function keepToken(value) {
    token = value;
    try { sessionStorage.setItem(TOKEN_KEY, value); } catch (e) { /* this page only */ }
  }
  function withSession(headers) { return useToken && token ? Object.assign({ "X-Chat-Session": token }, headers) : headers; }

  function startSession() {
    const who = window.csatbotIdentity || {};
    const body = who.userId ? { user_id: who.userId, user_hash: who.userHash } : {};
    const tokenMode = useToken;
    if (tokenMode) body.cookie = false;
    const started = {};   // an object, not the promise: an async function's result would unwrap it
    started.ready = timed("/api/webchat/session", {   // the current session keeps an anonymous customer
      method: "POST", headers: withSession({ "content-type": "application/json" }), body: JSON.stringify(body),
    }).then(async (res) => {
      if (!res.ok) {
        const data = await res.json().catch(() => ({}));
        const why = `HTTP ${res.status}` + (typeof data.detail === "string" ? `: ${data.detail}` : "");
        if (permanent(res)) giveUp(why);
        throw new Error(why);
      }
      if (tokenMode) keepToken((await res.json()).token);
    });
    session = started; issuedAt = Date.now();
    started.ready.catch(() => { if (session === started) session = null; });
    return started;
  }
  async function ensureSession() {
    if (refused) throw new Error(refused);
    if (session && Date.now() - issuedAt > RENEW_MS) session = null;
    const current = session || startSession();
    await current.ready;
    return current;
  }

  // The server knows no session for a request made with `used`. True: renew and try again. A session
  // that had worked expired; one that never worked was a cookie the browser did not keep, so carry a
  // token from now on. False when even a token was refused (try again later).
  function renew(used) {
    if (session !== used) return true;   // another request renewed it meanwhile
    session = null;
    if (working.has(used)) return true;
    if (useToken) return false;
    useToken = true;
    return true;
  }

  // Returns {problem: ""} when the server took the message (stale: true for a tap on a question no
  // longer open), else {problem: a reason to show}. The same client id is sent on every retry, so
  // the server ignores resends that did arrive.
  async function post(body) {
    const payload = Object.assign({ locale, id: newId() }, body);
    let reason = T.offline;
    for (let attempt = 0; attempt < 5; attempt++) {
      let asked = 0;   // the server's Retry-After, in ms
      try {
        const used = await ensureSession();
        const res = await timed("/api/webchat/messages", {
          method: "POST", headers: withSession({ "content-type": "application/json" }), body: JSON.stringify(payload) });
        if (res.ok) {
          working.add(used);
          const data = await res.json().catch(() => ({}));
          if (!data.stale) showStatus("");
          return { problem: "", stale: !!data.stale };
        }
        reason = `HTTP ${res.status}`;
        if (res.status === 401 && renew(used)) continue;   // renew, resend
        asked = 1000 * (Number(res.headers.get("retry-after")) || 0);
        if (res.status < 500 && res.status !== 429) {   // 429: writing faster than allowed, so wait and resend
          const data = await res.json().catch(() => ({}));
          const first = Array.isArray(data.detail) ? data.detail[0] : { msg: data.detail };
          return { problem: first && first.msg ? `${reason} (${first.msg})` : reason };
        }
      } catch (e) {
        if (refused) return { problem: T.refused };
        reason = T.offline;
        showStatus(T.offline);
      }
      await nap(Math.max(500 * (attempt + 1), asked));
    }
    return { problem: reason };
  }

  // One message at a time, in the order the customer sent them: a resend after a network blip must
  // not be overtaken by what they wrote next (the bot reads a survey's answers in order).
  let sending = Promise.resolve("");
  function send(body) {
    const result = sending.then(() => post(body));
    sending = result.catch(() => ({ problem: "" }));
    return result;
  }

  // Only the newest question's buttons are live; older ones are kept, disabled, for the record.
  function retire(box) {
    box.classList.add("done");
    box.querySelectorAll("button").forEach(x => { x.disabled = true; x.tabIndex = -1; });
  }

  function markPicked(box, button) {
    button.classList.add("picked");
    button.setAttribute("aria-pressed", "true");
    button.title = T.picked;
    retire(box);
  }

  // Arrow keys move between a question's buttons; Enter or Space picks (native button behaviour).
  function arrowKeys(box, ev) {
    const buttons = [...box.querySelectorAll("button:not(:disabled)")];
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
    if (ev.key === "Home" || ev.key === "End") {
      buttons[ev.key === "Home" ? 0 : buttons.length - 1].focus();
    } else if (step) {
      buttons[(at + step + buttons.length) % buttons.length].focus();
    } else {
      return;
    }
    ev.preventDefault();
  }

  function optionButtons(prompt) {
    const box = document.createElement("div");
    box.className = "options";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", prompt.text || T.group);
    box.dataset.survey = prompt.survey; box.dataset.step = prompt.step;
    const rating = prompt.type === "AskRating";
    const choices = prompt.options.map(o => ({ id: o.id, label: o.label, text: o.label }));
    if (prompt.type === "AskText" && prompt.optional && prompt.skip_word) {
      choices.push({ id: "", label: T.skip, text: prompt.skip_word });
    }
    // A choice's hint says "reply with its number": the buttons show the numbers a typed digit picks.
    const numbered = prompt.type === "AskChoice" && !prompt.options.every(o => o.id === "yes" || o.id === "no");
    choices.forEach((o, i) => { o.shown = numbered && o.id ? `${i + 1}. ${o.label}` : o.label; });
    for (const o of choices) {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = o.shown; b.dataset.value = o.id; b.dataset.text = o.text;
      b.setAttribute("aria-pressed", "false");
      if (rating) b.setAttribute("aria-label", `${o.id} / ${prompt.scale.high}`);
      b.addEventListener("click", async () => {
        if (box.classList.contains("done")) return;
        markPicked(box, b);
        // Skipping is a tap too (value ""): on a question no longer open it changes nothing, where
        // the skip word typed was a new message to support.
        const body = { choice: { survey: prompt.survey, step: prompt.step, value: o.id, label: o.id ? o.label : o.text } };
        const { problem, stale } = await send(body);
        if (stale) {   // answered meanwhile (another tab) or over: show what is current instead
          b.classList.remove("picked"); b.setAttribute("aria-pressed", "false"); b.title = "";
          showStatus(T.closed);
          catchUp();
          return;
        }
        if (problem) {   // let the customer try again
          box.classList.remove("done"); b.classList.remove("picked"); b.setAttribute("aria-pressed", "false");
          box.querySelectorAll("button").forEach(x => { x.disabled = false; x.tabIndex = 0; });
          showStatus(T.failed + problem);
          return;
        }
        input.focus();
      });
      box.append(b);
    }
    box.addEventListener("keydown", (ev) => arrowKeys(box, ev));
    return box;
  }

  // A reply the server recorded as an answer ("五星", "very bad", a tap) marks that button and closes
  // the question (also after a reload). Anything else leaves the question open and its buttons live.
  function answer(m) {
    const got = m.direction === "in" ? m.recorded : null;
    if (!got) return;
    const box = [...log.querySelectorAll(".options")].find(
      b => b.dataset.survey === got.survey && b.dataset.step === got.step);
    if (!box) return;
    const match = [...box.querySelectorAll("button")].find(b => b.dataset.value === String(got.value));
    box.querySelectorAll("button.picked").forEach(b => { b.classList.remove("picked"); b.setAttribute("aria-pressed", "false"); });
    if (match) markPicked(box, match); else retire(box);
  }

  // The words at the ends of a scale ("1 = Not solved", "5 = Fully solved"), under its buttons.
  function anchors(prompt) {
    const scale = prompt.scale || {};
    if (prompt.type !== "AskRating" || !(scale.low_label || scale.high_label)) return null;
    const row = document.createElement("div");
    row.className = "anchors";
    for (const [value, label] of [[scale.low, scale.low_label], [scale.high, scale.high_label]]) {
      const end = document.createElement("span");
      end.textContent = label ? `${value} = ${label}` : "";
      row.append(end);
    }
    return row;
  }

  function draw(m) {
    $("empty").hidden = true;
    answer(m);
    const li = document.createElement("li");
    li.dataset.id = m.id;
    li.className = m.direction === "in" ? "in" : "out";
    if (m.author.startsWith("agent:")) {
      li.classList.add("agent");
      const by = document.createElement("span");
      by.className = "by"; by.dir = "auto"; by.textContent = m.author.slice(6);
      li.append(by);
    }
    const prompt = m.prompt || {};
    const text = document.createElement("span");
    text.className = "text";
    text.dir = "auto";   // Arabic or Hebrew reads right to left, its punctuation at its end
    text.textContent = prompt.text !== undefined ? prompt.text : m.text;
    li.append(text);
    const hasButtons = (prompt.options && prompt.options.length) ||
      (prompt.type === "AskText" && prompt.optional && prompt.skip_word);
    if (hasButtons) {
      log.querySelectorAll(".options:not(.done)").forEach(retire);
      li.append(optionButtons(Object.assign({ options: [] }, prompt)));
      const ends = anchors(prompt);
      if (ends) li.append(ends);
    } else if (prompt.type === "End") {
      log.querySelectorAll(".options:not(.done)").forEach(retire);
    }
    if (prompt.hint) {
      const h = document.createElement("span");
      h.className = "hint"; h.textContent = prompt.hint;
      li.append(h);
    }
    log.append(li);
    log.scrollTop = log.scrollHeight;
  }

  // Draw what is new; a message two reads both bring (the long poll and a catch-up) is drawn once.
  function take(data) {
    for (const m of data.messages) {
      if (m.id > after) { draw(m); after = m.id; }
    }
    after = Math.max(after, data.last_id);
  }

  // Read now, beside the long poll (which may be stuck on a network that dropped it).
  async function catchUp() {
    try {
      await ensureSession();
      const res = await timed(`/api/webchat/messages?after=${after}`, { headers: withSession({}) });
      if (res.ok) take(await res.json());
    } catch (e) { /* the long poll carries on */ }
  }

  const PAUSES = [1000, 2000, 4000, 8000, 15000];   // after 1, 2, 3... failures in a row
  async function poll() {
    let failures = 0;   // after a failure, ask without waiting so the error line clears at once
    for (;;) {
      let asked = 0;   // the server's Retry-After, in ms
      try {
        const wait = failures ? 0 : 20;
        const used = await ensureSession();
        const res = await timed(`/api/webchat/messages?after=${after}&wait=${wait}`, { headers: withSession({}) },
          wait * 1000 + PATIENCE_MS);
        if (res.ok) {
          working.add(used);
          const data = await res.json();
          if (failures) { failures = 0; showStatus(""); }
          take(data);
          continue;
        }
        if (res.status === 401 && renew(used)) continue;   // renew and read on
        asked = 1000 * (Number(res.headers.get("retry-after")) || 0);
        showStatus(T.offline);   // busy or down for a moment (nothing the customer sent was lost)
      } catch (e) {
        if (refused) return;   // the page said why; a reload asks again
        showStatus(T.offline);   // server restarting or network down: keep trying
      }
      // Wait longer after each failure in a row (and at least what the server asked), spread a
      // little so that many pages do not all come back in the same second.
      const pause = Math.max(PAUSES[Math.min(failures, PAUSES.length - 1)], asked);
      failures++;
      await nap(pause * (0.8 + 0.4 * Math.random()));
    }
  }

  // Past 90% of the limit a counter shows how much is left; over it, nothing is sent (before, the
  // box's maxlength cut a long paste silently).
  function counted() {
    const n = [...input.value.trim()].length;
    count.hidden = n <= MAX_TEXT * 0.9;
    count.textContent = `${n.toLocaleString("en-US")} / ${MAX_TEXT.toLocaleString("en-US")}`;
    count.classList.toggle("over", n > MAX_TEXT);
    return n;
  }
  input.addEventListener("input", counted);

  // A tab the customer comes back to (hidden, frozen, restored from the back/forward cache) reads
  // at once: its long poll may have been cut, and an old question should not look open.
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") catchUp(); });
  addEventListener("pageshow", (ev) => { if (ev.persisted) catchUp(); });

  // What JSON can carry: a lone surrogate half (a bad paste) becomes U+FFFD and NUL goes, as the
  // server stores platform text (before, the server refused the whole message: "JSON decode error").
  function sendable(text) {
    // (A pair is kept whole; a half alone is replaced. No lookbehind: older Safari can't parse it.)
    const whole = text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (m) => m.length === 2 ? m : "\ufffd");
    return whole.replace(/\u0000/g, "");
  }

  $("composer").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = sendable(input.value).trim();
    if (!text.replace(/[\s\u200b-\u200d\u2060\ufeff]/g, "")) return;   // nothing to read (the server refuses it)
    const n = counted();
    if (n > MAX_TEXT) { showStatus(T.tooLong(n.toLocaleString("en-US"))); return; }
    input.value = "";
    counted();
    const { problem } = await send({ text });
    if (problem) {
      // Give the text back so nothing typed is lost (after any other text given back, in order).
      input.value = input.value ? `${input.value} ${text}` : text;
      counted();
      showStatus(T.failed + problem);
    }
  });
  input.focus();
  poll();
})();
