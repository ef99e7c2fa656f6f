// The site menu folds behind a "Menu" button on narrow screens; without this script it stays open.
(function () {
  "use strict";
  function setUp() {
    var button = document.querySelector(".site-header__menu-button");
    var header = document.querySelector(".site-header");
    if (!button || !header) return;
    header.classList.add("site-header--collapsible");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  if (document.readyState !== "loading") setUp(); else document.addEventListener("DOMContentLoaded", setUp);
})();
