/*
 * What the application form's widgets share (typing test, buyer chat): message templates, showing and
 * hiding, and JSON POSTs with the form's CSRF token. Loaded before static/js/typing-test.js and chat-test.js.
 */
(function () {
  "use strict";

  if (window.PortalWidgets) {
    return;
  }

  // a figure and the word beside it never part at a line end on a phone ("准确率 100%", "9.3 秒"): the spaces
  // around a number become no-break spaces
  function keepFigures(text) {
    return text.replace(/(\S) (?=\d)/g, "$1\u00a0").replace(/(\d%?) (?=\S)/g, "$1\u00a0");
  }

  function fill(template, values) {
    return keepFigures(template.replace(/%\((\w+)\)s/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    }));
  }

  function show(el, visible) {
    if (el) {
      el.classList.toggle("d-none", !visible);
    }
  }

  function csrfToken(root) {
    var form = root.closest("form");
    var input = (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(root, url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(root),
        "X-Requested-With": "XMLHttpRequest"
      },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        if (!response.ok || data.error) {
          var error = new Error(data.error || "");
          error.serverMessage = data.error || "";
          throw error;
        }
        return data;
      });
    });
  }

  // a function that shows a message in the widget's alert element, or hides it when the message is empty
  function alerter(el) {
    return function (message) {
      el.textContent = message || "";
      show(el, Boolean(message));
    };
  }

  // run init(root) for every element matching selector, once the document is parsed
  function boot(selector, init) {
    function all() {
      Array.prototype.forEach.call(document.querySelectorAll(selector), init);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", all);
    } else {
      all();
    }
  }

  window.PortalWidgets = { fill: fill, show: show, csrfToken: csrfToken, post: post, alerter: alerter, boot: boot };
})();
