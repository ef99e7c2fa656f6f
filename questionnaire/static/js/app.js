// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Error summaries take focus so screen-reader and keyboard users hear them first.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }

  function questionValue(block) {
    var type = block.getAttribute("data-type");
    var key = block.getAttribute("data-question");
    if (type === "multiple_choice") {
      return Array.prototype.map.call(
        block.querySelectorAll('input[type="checkbox"][name="' + key + '"]:checked'),
        function (input) { return input.value; });
    }
    if (type === "yes_no_partial" || type === "single_choice") {
      var checked = block.querySelector('input[type="radio"][name="' + key + '"]:checked');
      return checked ? checked.value : null;
    }
    var textarea = block.querySelector("textarea");
    return textarea ? textarea.value : null;
  }

  function setQuestionValue(block, value) {
    var type = block.getAttribute("data-type");
    var key = block.getAttribute("data-question");
    if (type === "multiple_choice") {
      block.querySelectorAll('input[name="' + key + '"]').forEach(function (input) {
        input.checked = Array.isArray(value) && value.indexOf(input.value) !== -1;
      });
    } else if (type === "yes_no_partial" || type === "single_choice") {
      block.querySelectorAll('input[name="' + key + '"]').forEach(function (input) {
        input.checked = input.value === value;
      });
    } else {
      var textarea = block.querySelector("textarea");
      if (textarea) textarea.value = value || "";
    }
  }

  // Show follow-ups as the answers they depend on change; the server decides on load.
  function updateConditions(form) {
    var blocks = form.querySelectorAll("[data-question]");
    var byKey = {};
    blocks.forEach(function (block) { byKey[block.getAttribute("data-question")] = block; });
    function visible(block) {
      var target = block.getAttribute("data-show-if");
      if (!target) return true;
      var parent = byKey[target];
      if (!parent || !visible(parent)) return false;
      var value = questionValue(parent);
      var chosen = Array.isArray(value) ? value : (value ? [value] : []);
      var wanted = block.getAttribute("data-any-of").split(" ");
      return chosen.some(function (v) { return wanted.indexOf(v) !== -1; });
    }
    blocks.forEach(function (block) { block.hidden = !visible(block); });
  }

  function Autosave(form) {
    this.form = form;
    this.url = form.getAttribute("data-autosave-url");
    this.draftKey = "draft:" + form.getAttribute("data-draft-key");
    this.loginUrl = form.getAttribute("data-login-url");
    this.status = form.querySelector("[data-autosave-status]");
    this.token = form.querySelector('input[name="csrf_token"]').value;
    this.dirty = {};
    this.timer = null;
    this.inFlight = false;
    this.sessionEnded = false;
  }

  Autosave.prototype.block = function (key) {
    return this.form.querySelector('[data-question="' + key + '"]');
  };

  Autosave.prototype.versionInput = function (key) {
    return this.form.querySelector('[data-version-for="' + key + '"]');
  };

  Autosave.prototype.item = function (key) {
    var block = this.block(key);
    var flag = block.querySelector('input[name="confidential__' + key + '"]');
    return {
      key: key,
      value: questionValue(block),
      is_confidential: !!(flag && flag.checked),
      base_version: parseInt(this.versionInput(key).value || "0", 10)
    };
  };

  Autosave.prototype.readDrafts = function () {
    try { return JSON.parse(window.sessionStorage.getItem(this.draftKey) || "{}"); }
    catch (e) { return {}; }
  };

  Autosave.prototype.writeDrafts = function () {
    var drafts = this.readDrafts();
    var self = this;
    Object.keys(this.dirty).forEach(function (key) { drafts[key] = self.item(key); });
    try { window.sessionStorage.setItem(this.draftKey, JSON.stringify(drafts)); } catch (e) { /* full or disabled */ }
  };

  Autosave.prototype.forgetDrafts = function (keys) {
    var drafts = this.readDrafts();
    keys.forEach(function (key) { delete drafts[key]; });
    try { window.sessionStorage.setItem(this.draftKey, JSON.stringify(drafts)); } catch (e) { /* ignore */ }
  };

  // After a session ended, the text typed since the last save comes back from this tab.
  Autosave.prototype.restoreDrafts = function () {
    var drafts = this.readDrafts();
    var self = this;
    var restored = 0;
    Object.keys(drafts).forEach(function (key) {
      var block = self.block(key);
      var draft = drafts[key];
      if (!block || !draft) return;
      var current = JSON.stringify(questionValue(block));
      var flagNow = block.querySelector('input[name="confidential__' + key + '"]');
      if (current === JSON.stringify(draft.value) && !!(flagNow && flagNow.checked) === !!draft.is_confidential) {
        delete drafts[key];  // already saved (for instance by the Save button)
        return;
      }
      setQuestionValue(block, draft.value);
      var flag = block.querySelector('input[name="confidential__' + key + '"]');
      if (flag) flag.checked = !!draft.is_confidential;
      // Keep the version the draft was based on, so a change made meanwhile is a conflict.
      self.versionInput(key).value = String(draft.base_version);
      self.dirty[key] = true;
      restored += 1;
    });
    try { window.sessionStorage.setItem(this.draftKey, JSON.stringify(drafts)); } catch (e) { /* ignore */ }
    if (restored) {
      updateConditions(this.form);
      this.say(this.form.getAttribute("data-msg-restored") || "Your unsaved text was restored; saving…");
      this.schedule(200);
    }
  };

  Autosave.prototype.say = function (text, isError) {
    if (!this.status) return;
    this.status.textContent = text;
    this.status.classList.toggle("is-error", !!isError);
  };

  Autosave.prototype.schedule = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.flush(); }, delay);
  };

  Autosave.prototype.touch = function (key) {
    this.dirty[key] = true;
    this.writeDrafts();
    this.say(this.form.getAttribute("data-msg-unsaved") || "Unsaved changes…");
    this.schedule(1500);
  };

  Autosave.prototype.flush = function () {
    var self = this;
    if (this.sessionEnded) return;
    if (this.inFlight) { this.schedule(500); return; }
    var keys = Object.keys(this.dirty);
    if (!keys.length) return;
    this.dirty = {};
    this.inFlight = true;
    var items = keys.map(function (key) { return self.item(key); });
    fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.token, "Accept": "application/json" },
      body: JSON.stringify({ answers: items })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      self.inFlight = false;
      if (result.status === 401 || (result.status === 400 && /CSRF/i.test(JSON.stringify(result.body)))) {
        keys.forEach(function (key) { self.dirty[key] = true; });
        self.sessionEnd(result.body.message);
        return;
      }
      if (result.status !== 200) {
        keys.forEach(function (key) { self.dirty[key] = true; });
        if (result.status >= 500) {
          // A fault of the server's (a restart of its database, say) passes: try again, as
          // when offline.
          self.say(self.form.getAttribute("data-msg-server") || "Not saved: the server could not save it just now.", true);
          self.schedule(10000);
          return;
        }
        self.say(result.body.message || "Not saved: please use the Save button.", true);
        return;
      }
      self.applyResult(result.body);
    }).catch(function () {
      self.inFlight = false;
      keys.forEach(function (key) { self.dirty[key] = true; });
      self.say(self.form.getAttribute("data-msg-offline") || "Not saved: no connection. Your text is kept in this browser.", true);
      self.schedule(10000);
    });
  };

  Autosave.prototype.applyResult = function (body) {
    var self = this;
    var saved = Object.keys(body.saved || {});
    var invalid = Object.keys(body.invalid || {});
    saved.forEach(function (key) {
      self.versionInput(key).value = String(body.saved[key]);
      var mark = self.form.querySelector('[data-status-for="' + key + '"]');
      if (mark && invalid.indexOf(key) < 0) { mark.textContent = ""; mark.classList.remove("is-conflict"); }
    });
    this.forgetDrafts(saved.concat(body.unchanged || []));
    Object.keys(body.conflicts || {}).forEach(function (key) {
      var status = self.form.querySelector('[data-status-for="' + key + '"]');
      if (status) {
        status.textContent = self.form.getAttribute("data-msg-conflict");
        status.classList.add("is-conflict");
      }
    });
    Object.keys(body.invalid || {}).forEach(function (key) {
      var status = self.form.querySelector('[data-status-for="' + key + '"]');
      if (status) { status.textContent = body.invalid[key]; status.classList.add("is-conflict"); }
    });
    // 24 hours and Western digits in every language, as the pages' own times are written.
    var time = new Date().toLocaleTimeString((document.documentElement.lang || "en") + "-u-nu-latn",
      { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (Object.keys(body.conflicts || {}).length) {
      this.say(this.form.getAttribute("data-msg-conflict"), true);
    } else if (invalid.length) {
      // A bad line is never reported as saved: say what was kept, if anything.
      var partly = invalid.some(function (key) { return saved.indexOf(key) >= 0; }) || saved.length;
      this.say(this.form.getAttribute(partly ? "data-msg-partly-saved" : "data-msg-not-saved"), true);
    } else if (Object.keys(this.dirty).length) {
      // Typed again while this save was on its way: that is not saved yet.
      this.say(this.form.getAttribute("data-msg-unsaved") || "Unsaved changes…");
    } else {
      // One sentence with the time in it: the catalog decides where the time goes.
      this.say((this.form.getAttribute("data-msg-saved") || "Saved at {time}.").replace("{time}", time));
    }
  };

  Autosave.prototype.sessionEnd = function (message) {
    this.sessionEnded = true;
    this.writeDrafts();
    var banner = document.createElement("div");
    banner.className = "session-banner";
    banner.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = (message || "Your session has ended. Your text is kept in this browser.") + " ";
    var link = document.createElement("a");
    link.href = this.loginUrl;
    link.textContent = this.form.getAttribute("data-msg-login") || "Log in again";
    banner.appendChild(text);
    banner.appendChild(link);
    document.body.appendChild(banner);
  };

  function initAnswerForm(form) {
    updateConditions(form);
    form.addEventListener("change", function () { updateConditions(form); });
    if (form.hasAttribute("data-read-only")) return;
    var autosave = new Autosave(form);
    function keyOf(target) {
      var block = target.closest("[data-question]");
      return block ? block.getAttribute("data-question") : null;
    }
    form.addEventListener("input", function (event) {
      var key = keyOf(event.target);
      if (key) autosave.touch(key);
    });
    form.addEventListener("change", function (event) {
      var key = keyOf(event.target);
      if (key) autosave.touch(key);
    });
    form.addEventListener("submit", function () {
      window.clearTimeout(autosave.timer);
      autosave.sessionEnded = true;  // the page post takes over; drafts stay until it lands
    });
    autosave.restoreDrafts();
  }

  // Counts the words of a summary as it is typed, against its configured limit.
  function initWordCount(counter) {
    var field = document.getElementById(counter.getAttribute("data-word-count-for"));
    var limit = parseInt(counter.getAttribute("data-word-limit"), 10);
    if (!field) return;
    // The forms of each plural category come from the server's catalog ({"one": "{n} word",
    // "other": "{n} words"}; Arabic has six, Russian three); the language's plural rule picks
    // one (French says "0 mot", English "0 words", Russian "2 слова" and "5 слов").
    var forms = {};
    try { forms = JSON.parse(counter.getAttribute("data-word-forms") || "{}"); } catch (e) { forms = {}; }
    var rules = window.Intl && Intl.PluralRules
      ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
    function update() {
      var words = (field.value.match(/\S+/g) || []).length;
      var form = forms[rules ? rules.select(words) : "other"] || forms.other || "{n}";
      counter.textContent = form.replace("{n}", String(words)) + " / " + limit;
      counter.classList.add("word-count");
      counter.classList.toggle("is-over", words > limit);
    }
    field.addEventListener("input", update);
    update();
  }

  // While a document renders in the background, look again every second and reload when done.
  function watchJob(element) {
    var state = element.getAttribute("data-job-status");
    if (state === "done" || state === "failed") return;
    window.setTimeout(function poll() {
      fetch(element.getAttribute("data-job-status-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (body.status === "done" || body.status === "failed") window.location.reload();
          else window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }, 1000);
  }

  // A table wider than the screen scrolls within its own box (app.css): the box takes the
  // keyboard's focus then, so that it can be scrolled without a mouse.
  function reachScrollingTables() {
    document.querySelectorAll(".table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-scrolls", "");
      } else if (table.hasAttribute("data-scrolls")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scrolls");
      }
    });
  }

  onReady(function () {
    focusErrorSummary();
    reachScrollingTables();
    window.addEventListener("resize", reachScrollingTables);
    document.querySelectorAll("[data-job-status-url]").forEach(watchJob);
    document.querySelectorAll("[data-word-count-for]").forEach(initWordCount);
    document.querySelectorAll("form.answer-form").forEach(initAnswerForm);
  });
})();

// Idle timeout (accounts): a few minutes before the session would end for lack of activity,
// a banner offers to stay logged in. Every request counts as activity, in any tab of the site
// (the server renews at most once a minute and gives an idle time short by as much),
// so the time of the last renewal is shared between tabs through localStorage.
(function () {
  "use strict";
  var STORAGE_KEY = "session:renewedAt";
  var CHECK_EVERY_MS = 10000;

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function readRenewed() {
    try { return parseInt(window.localStorage.getItem(STORAGE_KEY) || "0", 10) || 0; }
    catch (e) { return 0; }
  }

  var renewedAt = Date.now();  // this page's own request renewed the session
  function markRenewed() {
    renewedAt = Date.now();
    try { window.localStorage.setItem(STORAGE_KEY, String(renewedAt)); } catch (e) { /* disabled */ }
  }
  function lastRenewal() { return Math.max(renewedAt, readRenewed()); }

  // Requests this page makes (autosave, status polling) renew the session as well.
  function watchRequests() {
    var original = window.fetch;
    window.fetch = function (resource, init) {
      return original.call(window, resource, init).then(function (response) {
        var sameOrigin = new URL(response.url || String(resource), window.location.href).origin === window.location.origin;
        if (sameOrigin && response.status < 400) markRenewed();
        return response;
      });
    };
  }

  function SessionWatch(url, token, state) {
    this.url = url;
    this.token = token;
    this.state = state;
    this.banner = null;
    this.ended = false;
  }

  SessionWatch.prototype.makeBanner = function (modifier) {
    this.removeBanner();
    var banner = document.createElement("div");
    banner.className = "session-banner " + modifier;
    banner.setAttribute("role", "alert");
    document.body.appendChild(banner);
    this.banner = banner;
    return banner;
  };

  SessionWatch.prototype.removeBanner = function () {
    if (this.banner && this.banner.parentNode) this.banner.parentNode.removeChild(this.banner);
    this.banner = null;
  };

  SessionWatch.prototype.warn = function () {
    if (this.banner && this.banner.classList.contains("session-banner--warning")) return;
    var self = this;
    var banner = this.makeBanner("session-banner--warning");
    var text = document.createElement("span");
    text.textContent = this.state.texts.warning + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small session-banner__stay";
    button.textContent = this.state.texts.stay;
    button.addEventListener("click", function () { self.stay(); });
    banner.appendChild(text);
    banner.appendChild(button);
  };

  SessionWatch.prototype.end = function () {
    this.ended = true;
    // The autosave of an answer page may already have said so, with its own banner.
    if (document.querySelector(".session-banner:not(.session-banner--warning)")) { this.removeBanner(); return; }
    var banner = this.makeBanner("session-banner--ended");
    var text = document.createElement("span");
    text.textContent = this.state.texts.ended + " ";
    var link = document.createElement("a");
    link.href = this.state.login_url + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    link.textContent = this.state.texts.login;
    banner.appendChild(text);
    banner.appendChild(link);
  };

  SessionWatch.prototype.stay = function () {
    var self = this;
    fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": this.token, "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 200) { self.removeBanner(); return; }
      self.end();
    }).catch(function () { /* offline: the next check decides */ });
  };

  SessionWatch.prototype.check = function () {
    if (this.ended) return;
    var elapsed = (Date.now() - lastRenewal()) / 1000;
    var remaining = this.state.idle_seconds - elapsed;
    if (remaining <= 0) this.end();
    else if (remaining <= this.state.warning_seconds) this.warn();
    else if (this.banner) this.removeBanner();  // renewed from another tab
  };

  onReady(function () {
    var logout = document.querySelector("form.logout");
    var tokenInput = logout && logout.querySelector('input[name="csrf_token"]');
    if (!logout || !tokenInput || !window.fetch || !window.URL) return;
    var url = new URL("session", logout.action).toString();
    markRenewed();
    watchRequests();
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.status === 200 ? response.json() : null; })
      .then(function (state) {
        if (!state || !state.idle_seconds) return;
        var watch = new SessionWatch(url, tokenInput.value, state);
        window.setInterval(function () { watch.check(); }, CHECK_EVERY_MS);
        window.addEventListener("storage", function (event) {
          if (event.key === STORAGE_KEY) watch.check();
        });
      })
      .catch(function () { /* no warning without the server's settings */ });
  });
})();
