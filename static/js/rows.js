// Repeating rows of the application form (templates/careers/_rows.html): the work history, the certificates.
// Without this script the form shows a few blank rows; with it, one blank row, a button that adds a row (a copy
// of the <template> under the next free index, up to data-rows-max) and a 删除 button per row. A ticked 至今
// greys out the end month it stands for (a disabled input is not posted: the server reads "until now").
(function () {
  "use strict";

  if (window.PortalRows) {
    return;  // the script is included once per rows field
  }
  window.PortalRows = true;

  function rowsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[data-rows-row]"));
  }

  function blank(row) {
    return Array.prototype.every.call(row.querySelectorAll("[data-rows-column]"), function (input) {
      return !input.value.trim();
    });
  }

  function syncUntil(row) {
    Array.prototype.forEach.call(row.querySelectorAll("[data-rows-until]"), function (box) {
      var end = row.querySelector("[data-rows-column='" + box.dataset.rowsUntil + "']");
      if (end) {
        end.disabled = box.checked;
      }
    });
  }

  function init(root) {
    var list = root.querySelector("[data-rows-list]");
    var template = root.querySelector("template[data-rows-template]");
    var add = root.querySelector("[data-rows-add]");
    var max = parseInt(root.dataset.rowsMax, 10) || 30;
    var next = parseInt(root.dataset.rowsNext, 10) || rowsOf(list).length;
    var title = root.dataset.rowsTitle || "%(n)s";

    function renumber() {
      var rows = rowsOf(list);
      rows.forEach(function (row, i) {
        row.querySelector("[data-rows-title]").textContent = title.replace("%(n)s", String(i + 1));
      });
      add.hidden = rows.length >= max;
    }

    function prepare(row) {
      var remove = row.querySelector("[data-rows-remove]");
      remove.hidden = false;
      remove.addEventListener("click", function () {
        row.remove();
        if (!rowsOf(list).length) {
          append();
        }
        renumber();
        add.focus();
      });
      Array.prototype.forEach.call(row.querySelectorAll("[data-rows-until]"), function (box) {
        box.addEventListener("change", function () {
          syncUntil(row);
        });
      });
      syncUntil(row);
    }

    function append() {
      var html = template.innerHTML.replace(/__prefix__/g, String(next));
      next += 1;
      list.insertAdjacentHTML("beforeend", html);
      var rows = rowsOf(list);
      var row = rows[rows.length - 1];
      prepare(row);
      return row;
    }

    // one blank row is enough when rows can be added: the others go (blank rows are ignored when posted anyway)
    var blanks = rowsOf(list).filter(blank);
    blanks.slice(rowsOf(list).length > blanks.length ? 0 : 1).forEach(function (row) {
      row.remove();
    });
    rowsOf(list).forEach(prepare);
    add.hidden = false;
    add.addEventListener("click", function () {
      var row = append();
      renumber();
      var first = row.querySelector("select, input");
      if (first) {
        first.focus();
      }
    });
    renumber();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rows]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
