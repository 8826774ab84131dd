// The diary entry survives a bad connection (issue 20). On a patient page (the diary-patient
// meta says whose): the entry form is sent with fetch; without a connection its answers are kept
// on this phone (offline-outbox.js, IndexedDB) and #offline-saved is shown. When the connection
// is back (page load, the online event, "Send now", Background Sync in sw.js) every entry waiting
// for this same patient is sent once, and the page goes to the rules' answer as after any save.
// Without JavaScript the form posts as usual; if anything here fails, it posts as usual too.
// A record the server answered with a page of its own (answers to correct, 200; a conflict,
// 409) is posted as an ordinary form with a fresh token and stays on the phone until the
// day's saved page is reached in this tab (sessionStorage "diary-posted" says which records
// were posted): offline at that moment, nothing is lost. It is not sent again by itself; the
// home page shows it as waiting, and "Send now" shows the server's page again.
(function () {
  "use strict";

  const SCOPE = "/diary/";
  const outbox = window.DiaryOutbox;
  const meta = document.querySelector('meta[name="diary-patient"]');
  if (!outbox || !meta || !meta.content || !window.indexedDB) return;
  const patient = meta.content;
  const form = document.querySelector("form.entry-form");
  const savedPanel = document.getElementById("offline-saved");
  const waitingPanel = document.getElementById("offline-waiting");
  let pageRecordId = null; // the record this page saved, replaced if the patient saves again
  let pageRecordAction = ""; // where it is sent: its day's address
  let busy = false;
  const POSTED = "diary-posted";

  function dayOf(action) {
    const match = /\/entry\/(\d{4}-\d{2}-\d{2})\//.exec(new URL(action, location.href).pathname);
    return match ? match[1] : "";
  }

  // Shown; `announce`: just now, after Save, so focus and scroll go to it (not on page load).
  function reveal(panel, announce) {
    if (!panel) return;
    panel.hidden = false;
    if (announce) {
      if (!panel.hasAttribute("tabindex")) panel.setAttribute("tabindex", "-1");
      panel.focus({ preventScroll: true });
      panel.scrollIntoView({ block: "start" });
    }
  }

  // The home page's sentence with the number, from the template's own words.
  function countWaiting(count) {
    const text = document.getElementById("offline-waiting-text");
    if (!text) return;
    const words = count === 1 ? text.dataset.textOne : text.dataset.textOther;
    if (words) text.textContent = words.replace("{count}", String(count));
  }

  async function waitingHere() {
    const records = (await outbox.all()).filter((record) => record.patient === patient);
    if (waitingPanel && records.length) {
      countWaiting(records.length);
      reveal(waitingPanel);
    }
    // Not for a record the server has answered (answers to correct, a conflict): it is not
    // waiting for the connection but for the patient.
    const day = form && dayOf(form.action);
    // The newest, if an older version of the app left two for the day.
    const waiting = form && records
      .filter((r) => r.day === day && !r.attention)
      .sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1))[0];
    if (waiting) {
      reveal(savedPanel);
      // The form opened again before the answers left (a page kept offline shows the answers
      // the server had): it shows the answers kept here, and saving it again replaces them
      // under their key, so that one entry for the day waits, not two.
      if (!pageRecordId) {
        pageRecordId = waiting.id;
        pageRecordAction = waiting.action;
        fill(waiting);
      }
    }
    return records;
  }

  // The form's answers from a kept record, and the version they were answered against (the
  // page may show a newer one: saved over it, they must meet the server's check against it).
  function fill(record) {
    const loaded = record.fields.find(([name]) => name === "loaded_version");
    const loadedInput = form.querySelector('input[name="loaded_version"]');
    if (loaded && loadedInput) loadedInput.value = loaded[1];
    const values = new Map();
    record.fields.forEach(([name, value]) => {
      values.set(name, (values.get(name) || []).concat([value]));
    });
    form.querySelectorAll("input[name], textarea[name], select[name]").forEach((field) => {
      if (field.type === "hidden") return; // the sending's own inputs (key, version, count)
      const given = values.get(field.name) || [];
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = given.includes(field.value);
      } else {
        field.value = given.length ? given[0] : "";
      }
    });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(outbox.SYNC_TAG))
      .catch(() => undefined);
  }

  // The records posted as an ordinary form from this tab, to be deleted on the saved page.
  function readPosted() {
    try {
      return JSON.parse(sessionStorage.getItem(POSTED) || "[]");
    } catch (error) {
      return [];
    }
  }

  function writePosted(records) {
    try {
      if (records.length) sessionStorage.setItem(POSTED, JSON.stringify(records));
      else sessionStorage.removeItem(POSTED);
    } catch (error) {
      // No sessionStorage: the record stays and is shown as waiting on the home page.
    }
  }

  const markPosted = (records) => writePosted(records.map((r) => ({ id: r.id, day: r.day })));

  // The server's own page for a record (a conflict, answers to correct): posted as an ordinary
  // form, so the browser shows the answer as it would without JavaScript.
  function postAsForm(record, token) {
    markPosted([record]);
    const posting = document.createElement("form");
    posting.method = "post";
    posting.action = record.action;
    posting.hidden = true;
    const fields = record.fields.filter(([name]) => name !== "csrfmiddlewaretoken");
    fields.concat([["csrfmiddlewaretoken", token]]).forEach(([name, value]) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      posting.appendChild(input);
    });
    document.body.appendChild(posting);
    posting.submit();
  }

  function pageToken() {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  // What the patient sees after a round of sending. `fresh`: the records that had not been
  // shown to the patient before (a re-check of a shown conflict does not take them away).
  async function show(results, fresh) {
    const saved = results.find((r) => r.outcome === "saved" && fresh.has(r.record.id));
    if (saved) return location.assign(saved.url);
    const attention = results.find((r) => r.outcome === "attention" && fresh.has(r.record.id));
    if (attention) return postAsForm(attention.record, attention.token || pageToken());
    if (results.some((r) => r.outcome === "offline")) askForSync();
    if (await sentByTheWorker()) return undefined;
    await waitingHere();
  }

  // This page's record sent meanwhile by the worker (Background Sync), whose message may not
  // have reached this page: the day's saved page, as after any save.
  async function sentByTheWorker() {
    if (!pageRecordId || !pageRecordAction || (await outbox.get(pageRecordId))) return false;
    location.assign(savedAddress(pageRecordAction));
    return true;
  }

  // The day's saved page for a record sent to the day's address (same ?from=).
  function savedAddress(action) {
    const url = new URL(action, location.href);
    url.pathname += "saved/";
    return url.toString();
  }

  async function sendWaiting({ again }) {
    const records = (await outbox.all()).filter((record) => record.patient === patient);
    if (!records.length) return sentByTheWorker();
    const fresh = new Set(records.filter((r) => again || !r.attention).map((r) => r.id));
    // Records the server answered before (a conflict) go again only with "Send now".
    const include = Array.from(fresh);
    const results = await outbox.sendWaiting({ scope: SCOPE, patient, attention: again, include });
    await show(results, fresh);
  }

  // A new key once the page's record has left the store (sent: its key is spent). Answers
  // changed under a kept key count up (`revision`), so that the server can tell a sending of
  // older answers that arrives late from the newer ones (answers_revision).
  async function record() {
    const kept = pageRecordId && (await outbox.get(pageRecordId));
    const id = kept ? pageRecordId : outbox.newId();
    const revision = kept ? (kept.revision || 1) + 1 : 1;
    const own = ["csrfmiddlewaretoken", "submission_id", "answers_revision"];
    const fields = Array.from(new FormData(form).entries())
      .filter(([name]) => !own.includes(name))
      .map(([name, value]) => [name, String(value)]);
    fields.push(["submission_id", id], ["answers_revision", String(revision)]);
    return {
      id,
      revision,
      patient,
      action: form.action,
      day: dayOf(form.action),
      fields,
      savedAt: new Date().toISOString(),
      attention: false,
    };
  }

  // `token`: a fresh CSRF token when the page's own was refused (403).
  function postNatively(entry, token) {
    const csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (csrf && token) csrf.value = token;
    markPosted([entry]);
    const id = entry.id;
    let input = form.querySelector('input[name="submission_id"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "submission_id";
      form.appendChild(input);
    }
    input.value = id;
    const revision = form.querySelector('input[name="answers_revision"]');
    if (revision) revision.value = String(entry.revision || "");
    form.submit(); // no submit event: not caught here again
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    let entry;
    try {
      entry = await record();
      await outbox.put(entry);
      pageRecordId = entry.id;
      pageRecordAction = entry.action;
    } catch (error) {
      form.submit(); // no storage (a private window …): as without JavaScript
      return;
    }
    let result = { outcome: "offline" };
    try {
      if (navigator.onLine !== false) {
        result = await outbox.sendOne(entry, pageToken(), SCOPE);
        if (result.outcome === "attention" && result.status === 403) {
          // A token from before a new sign-in (a page kept offline): again with a fresh one.
          const again = await outbox.sendWaiting({ scope: SCOPE, patient, attention: true });
          result = again.find((r) => r.record && r.record.id === entry.id) || {
            outcome: "offline",
          };
        }
      }
    } catch (error) {
      return postNatively(entry); // the storage failed us: as without JavaScript, same key
    }
    if (result.outcome === "saved") return location.assign(result.url);
    if (result.outcome === "signed-out") return location.assign(result.url);
    // Answers to correct (200) or a conflict (409): the server's page, with a token it takes.
    // The record stays until the day's saved page (settle).
    if (result.outcome === "attention") return postNatively(entry, result.token || pageToken());
    busy = false;
    if (button) button.disabled = false;
    reveal(savedPanel, true);
    askForSync();
  }

  // The conflict page (409) shows both versions and the answers kept here. Whichever the
  // patient chooses, the copy on the phone stays until the day's saved page says the server
  // has the chosen answers (offline at that moment, it is still there).
  const conflict = document.querySelector("[data-conflict]");
  function onChoice(event) {
    const chosen = event.currentTarget;
    const day = dayOf(chosen.action || chosen.href);
    event.preventDefault();
    outbox
      .all()
      .then((records) =>
        markPosted(records.filter((r) => r.patient === patient && r.attention && r.day === day))
      )
      .catch(() => undefined)
      .then(() => (chosen.tagName === "FORM" ? chosen.submit() : location.assign(chosen.href)));
  }

  // On load: the records posted from this tab are deleted once their day's saved page is
  // reached; on the form again (answers to correct) the page's save replaces its record.
  async function settle() {
    const posted = readPosted();
    if (conflict) return; // the patient's choice follows
    writePosted([]);
    if (!posted.length) return;
    const saved = /\/entry\/(\d{4}-\d{2}-\d{2})\/saved\/$/.exec(location.pathname);
    const records = (await outbox.all()).filter((r) => r.patient === patient);
    const mine = (day) => records.filter((r) => r.day === day && posted.some((p) => p.id === r.id));
    if (saved) {
      await Promise.all(mine(saved[1]).map((r) => outbox.remove(r.id)));
    } else if (form) {
      const again = mine(dayOf(form.action));
      if (again.length) [pageRecordId, pageRecordAction] = [again[0].id, again[0].action];
    }
  }
  if (conflict) {
    document
      .querySelectorAll("form[data-choice]")
      .forEach((choice) => choice.addEventListener("submit", onChoice));
    document
      .querySelectorAll("a[data-choice]")
      .forEach((choice) => choice.addEventListener("click", onChoice));
  }

  if (form) form.addEventListener("submit", onSubmit);
  document.querySelectorAll("#offline-send-now").forEach((button) =>
    button.addEventListener("click", () => sendWaiting({ again: true }).catch(() => undefined))
  );
  window.addEventListener("online", () => sendWaiting({ again: false }).catch(() => undefined));
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      // Only the page the entry is about moves to its answer, not every open tab.
      const data = event.data;
      if (!data || !/^diary-entry-(sent|attention)$/.test(data.type)) return;
      const showsIt = savedPanel && !savedPanel.hidden && form && dayOf(form.action) === data.day;
      if (data.id !== pageRecordId && !showsIt) return;
      if (data.type === "diary-entry-sent") location.assign(data.url);
      else sendWaiting({ again: true }).catch(() => undefined); // the server's page, here
    });
  }
  // On load: show what waits, and send it (not from the conflict page, which is about it).
  const sendOnLoad = navigator.onLine !== false && !conflict;
  settle()
    .catch(() => undefined)
    .then(waitingHere)
    .then(() => (sendOnLoad ? sendWaiting({ again: false }) : undefined))
    .catch(() => undefined);
})();
