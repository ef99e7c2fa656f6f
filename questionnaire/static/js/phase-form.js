// The form that opens a review phase. Without this script every regional group is a list of
// checkboxes; with it, a box filters the States by name (accents and case ignored), each group
// gets buttons to choose all or none of its States shown, the counts follow the ticks, and the
// deadlines follow the start date and the durations typed.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function button(label, hidden, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button--secondary button--small";
    b.textContent = label;
    var extra = document.createElement("span");
    extra.className = "visually-hidden";
    extra.textContent = " – " + hidden;
    b.appendChild(extra);
    b.addEventListener("click", onClick);
    return b;
  }

  function setUpPicker(picker) {
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-state-group]"));
    var total = picker.querySelector("[data-state-count]");

    function count() {
      var all = 0;
      groups.forEach(function (group) {
        var n = group.querySelectorAll("input[type=checkbox]:checked").length;
        var label = group.querySelector("[data-group-count]");
        label.textContent = label.getAttribute("data-template").replace("{chosen}", n);
        all += n;
      });
      total.textContent = total.getAttribute("data-template").replace("{num}", all);
    }

    function shown(group) {
      return Array.prototype.filter.call(
        group.querySelectorAll("[data-state-name]"), function (item) { return !item.hidden; });
    }

    groups.forEach(function (group) {
      var name = group.querySelector("summary").firstChild.textContent.trim();
      var actions = document.createElement("div");
      actions.className = "list-actions state-group__actions";
      function tick(value) {
        return function () {
          shown(group).forEach(function (item) { item.querySelector("input").checked = value; });
          count();
        };
      }
      actions.appendChild(button(picker.getAttribute("data-all-label"), name, tick(true)));
      actions.appendChild(button(picker.getAttribute("data-none-label"), name, tick(false)));
      var fieldset = group.querySelector("fieldset");
      fieldset.insertBefore(actions, fieldset.querySelector(".state-group__list"));
    });

    var label = document.createElement("label");
    label.className = "label";
    label.htmlFor = "states-filter";
    label.textContent = picker.getAttribute("data-filter-label");
    var filter = document.createElement("input");
    filter.className = "input";
    filter.type = "search";
    filter.id = "states-filter";
    filter.autocomplete = "off";
    var wrapper = document.createElement("div");
    wrapper.className = "state-picker__filter";
    wrapper.appendChild(label);
    wrapper.appendChild(filter);
    picker.insertBefore(wrapper, total);

    filter.addEventListener("input", function () {
      var wanted = fold(filter.value);
      groups.forEach(function (group) {
        var any = false;
        group.querySelectorAll("[data-state-name]").forEach(function (item) {
          var match = !wanted || fold(item.getAttribute("data-state-name")).indexOf(wanted) !== -1;
          item.hidden = !match;
          any = any || match;
        });
        group.hidden = !any;
        if (wanted && any) group.open = true;
      });
    });
    // Enter in the filter box must not submit the form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    picker.addEventListener("change", count);
  }

  function addMonths(day, months) {
    var index = day.getUTCMonth() + months;
    var year = day.getUTCFullYear() + Math.floor(index / 12);
    var month = ((index % 12) + 12) % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return new Date(Date.UTC(year, month, Math.min(day.getUTCDate(), last)));
  }

  function setUpDeadlines(box) {
    var start = document.getElementById("started_on");
    var lang = document.documentElement.lang || "en";
    // Western digits in every language, as the server writes dates (Arabic included).
    var format = new Intl.DateTimeFormat((lang === "en" ? "en-GB" : lang) + "-u-nu-latn",
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    var fields = box.querySelectorAll("input[data-duration-of]");
    function update() {
      var value = start ? start.value : box.getAttribute("data-start") || "";
      var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      fields.forEach(function (field) {
        var output = box.querySelector("output[data-deadline=" + field.getAttribute("data-duration-of") + "]");
        var n = parseInt(field.value, 10);
        if (!output) return;
        if (!match || !(n > 0)) { output.textContent = ""; return; }
        var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
        var due = field.getAttribute("data-duration") === "months"
          ? addMonths(day, n) : new Date(day.getTime() + n * 86400000);
        output.textContent = "(" + format.format(due) + ")";
      });
    }
    if (start) start.addEventListener("input", update);
    fields.forEach(function (field) { field.addEventListener("input", update); });
  }

  function setUp() {
    document.querySelectorAll("[data-state-picker]").forEach(setUpPicker);
    document.querySelectorAll("[data-deadlines]").forEach(setUpDeadlines);
  }
  if (document.readyState !== "loading") setUp(); else document.addEventListener("DOMContentLoaded", setUp);
})();
