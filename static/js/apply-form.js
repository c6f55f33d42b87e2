/*
 * The application form on a phone: where the candidate is (a progress bar by section), a draft kept on this
 * device only (localStorage; nothing reaches the server before they submit) and restored after a closed tab,
 * and text boxes that grow with what is typed.
 *
 * The form carries data-draft-key (one draft per job) and data-draft-days (how long a draft is kept). Never
 * kept in the draft: files, hidden inputs (signed typing/chat results, the CSRF token), passwords, and the
 * fields marked data-no-draft (health and criminal-record answers: sensitive, asked only with consent).
 * The confirmation page carries data-draft-clear with the same key, so a submitted draft does not linger on a
 * shared phone.
 */
(function () {
  "use strict";

  var PREFIX = "apply-draft:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage off: the form works without a draft
    }
  }

  function draftable(el) {
    if (!el.name || el.disabled || el.closest("[data-no-draft]") || el.hasAttribute("data-no-draft")) {
      return false;
    }
    var type = (el.type || "").toLowerCase();
    return ["file", "hidden", "password", "submit", "button"].indexOf(type) === -1;
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el)) {
        return;
      }
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (el.checked) {
          (values[el.name] = values[el.name] || []).push(el.value);
        }
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else if (el.value !== "") {
        values[el.name] = [el.value];
      }
    });
    return values;
  }

  function restore(form, values) {
    var restored = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el) || !Object.prototype.hasOwnProperty.call(values, el.name)) {
        return;
      }
      var saved = values[el.name];
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        el.checked = saved.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = saved.indexOf(o.value) !== -1; });
      } else if (el.value === "") { // never over what the page already holds (a form sent back with errors)
        el.value = saved[0];
      } else {
        return;
      }
      restored += 1;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    return restored;
  }

  function setUpDraft(form, store) {
    var key = PREFIX + form.dataset.draftKey;
    var days = Number(form.dataset.draftDays || "7");
    var notice = form.querySelector("[data-draft-notice]");
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      saved = null;
    }
    if (saved && saved.savedAt && Date.now() - saved.savedAt > days * 86400000) {
      store.removeItem(key);
      saved = null;
    }
    if (form.dataset.prefilled) {
      // opened through a person's own invitation or status link: an earlier draft on this device (maybe someone
      // else's) is neither mixed in nor kept, and the pre-filled details are not written to the device
      store.removeItem(key);
      return;
    }
    if (saved && saved.values && !form.dataset.bound && restore(form, saved.values) > 0 && notice) {
      notice.classList.remove("d-none"); // "restored from this phone" + a button to clear it
    }
    var timer = null;
    function save() {
      timer = null;
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: collect(form) }));
      } catch (e) {
        // storage full: the form still works
      }
    }
    form.addEventListener("input", function () {
      if (timer === null) {
        timer = window.setTimeout(save, 400);
      }
    });
    form.addEventListener("change", save);
    var clear = form.querySelector("[data-draft-discard]");
    if (clear) {
      clear.addEventListener("click", function () {
        store.removeItem(key);
        form.reset();
        if (notice) {
          notice.classList.add("d-none");
        }
      });
    }
  }

  function grow(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }

  function setUpGrowing(form) {
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), grow);
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") {
        grow(event.target);
      }
    });
  }

  function setUpProgress(form) {
    var bar = document.querySelector("[data-form-progress]");
    var sections = form.querySelectorAll(":scope > fieldset"); // the sections, not the radio groups inside them
    if (!bar || sections.length < 2) {
      return;
    }
    var label = bar.querySelector("[data-progress-label]");
    var fill = bar.querySelector(".progress-bar");
    var template = bar.dataset.template || "%(n)s / %(total)s";
    bar.classList.remove("d-none");
    bar.querySelector("[role=progressbar]").setAttribute("aria-valuemax", String(sections.length));
    function show(index) {
      var legend = sections[index].querySelector("legend");
      var n = index + 1;
      label.textContent = template.replace("%(n)s", n).replace("%(total)s", sections.length) +
        (legend ? " · " + legend.textContent.trim() : "");
      fill.style.width = Math.round((n / sections.length) * 100) + "%";
      bar.querySelector("[role=progressbar]").setAttribute("aria-valuenow", String(n));
    }
    show(0);
    if (!("IntersectionObserver" in window)) {
      return;
    }
    var visible = new Map();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible.set(entry.target, entry.isIntersecting); });
      for (var i = 0; i < sections.length; i += 1) { // the first section on screen is the one being filled
        if (visible.get(sections[i])) {
          show(i);
          return;
        }
      }
    }, { rootMargin: "-20% 0px -50% 0px" });
    Array.prototype.forEach.call(sections, function (section) { observer.observe(section); });
  }

  function start() {
    var store = storage();
    var done = document.querySelector("[data-draft-clear]");
    if (done && store) {
      store.removeItem(PREFIX + done.dataset.draftClear);
    }
    var form = document.querySelector("form[data-draft-key]");
    if (!form) {
      return;
    }
    if (store) {
      setUpDraft(form, store);
    }
    setUpGrowing(form);
    setUpProgress(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
