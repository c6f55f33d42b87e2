/*
 * The measured typing test widget (templates/careers/_typing_test.html).
 * The server times and scores the attempt; this script only shows the passage, keeps paste out,
 * waits for the input method to commit (no pinyin counted), and hands the signed result to the form.
 * Every widget is handled on its own (scoped to its [data-typing-test] root); no widget, no work.
 */
(function () {
  "use strict";

  if (window.typingTestLoaded) {
    return; // the widget's <script> tag may appear once per form
  }
  window.typingTestLoaded = true;
  var fill = window.PortalWidgets.fill;
  var show = window.PortalWidgets.show;
  var post = window.PortalWidgets.post;

  function clock(seconds) {
    var s = Math.floor(seconds);
    var rest = s % 60;
    return Math.floor(s / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function visibleLength(text) {
    return Array.from(text.replace(/\s+/g, "")).length;
  }

  function resultInput(root) {
    var form = root.closest("form");
    var input = form && form.querySelector("input[name=typing_result]");
    if (!input) {
      input = root.querySelector("input[name=typing_result]");
    }
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "typing_result";
      root.appendChild(input);
    }
    return input;
  }

  function init(root) {
    if (root.dataset.typingReady) {
      return;
    }
    root.dataset.typingReady = "1";

    function part(name) {
      return root.querySelector("[data-typing=" + name + "]");
    }

    var el = {
      alert: part("alert"),
      result: part("result"),
      start: part("start"),
      retest: part("retest"),
      test: part("test"),
      passage: part("passage"),
      input: part("input"),
      count: part("count"),
      timer: part("timer"),
      finish: part("finish")
    };
    if (!el.start || !el.input || !el.finish) {
      return;
    }
    var autoFinishMs = (parseInt(root.dataset.autoFinish, 10) || 120) * 1000;
    var state = {
      token: null,
      total: 0,
      startedAt: 0,
      composing: false,
      committed: "",
      pasteAttempts: 0,
      tick: null,
      auto: null,
      busy: false
    };

    var alertMessage = window.PortalWidgets.alerter(el.alert);

    function stopTimers() {
      window.clearInterval(state.tick);
      window.clearTimeout(state.auto);
      state.tick = null;
      state.auto = null;
    }

    function updateCount() {
      if (el.count) {
        el.count.textContent = fill(root.dataset.countTemplate || "", {
          count: visibleLength(state.committed),
          total: state.total
        });
      }
    }

    function updateTimer() {
      if (el.timer) {
        el.timer.textContent = clock((Date.now() - state.startedAt) / 1000);
      }
    }

    function setRunning(running) {
      show(el.test, running);
      show(el.start, false);
      show(el.retest, !running);
      el.input.disabled = !running;
      el.finish.disabled = !running;
    }

    function startTest() {
      if (state.busy) {
        return;
      }
      state.busy = true;
      el.start.disabled = true;
      el.retest.disabled = true;
      alertMessage("");
      post(root, root.dataset.startUrl).then(function (data) {
        state.token = data.token;
        state.total = visibleLength(data.passage || "");
        state.committed = "";
        state.composing = false;
        state.pasteAttempts = 0;
        el.passage.textContent = data.passage;
        el.input.value = "";
        show(el.result, false);
        setRunning(true);
        updateCount();
        state.startedAt = Date.now();
        updateTimer();
        stopTimers();
        state.tick = window.setInterval(updateTimer, 250);
        state.auto = window.setTimeout(function () {
          finishTest(true);
        }, autoFinishMs);
        el.input.focus();
      }).catch(function (error) {
        alertMessage(error.serverMessage || root.dataset.msgFailed);
      }).then(function () {
        state.busy = false;
        el.start.disabled = false;
        el.retest.disabled = false;
      });
    }

    function finishTest(automatic) {
      if (state.busy || !state.token) {
        return;
      }
      if (!state.composing) {
        state.committed = el.input.value;
      }
      if (!visibleLength(state.committed)) {
        alertMessage(root.dataset.msgEmpty);
        if (automatic) {
          endTest();
        }
        return;
      }
      state.busy = true;
      el.finish.disabled = true;
      stopTimers();
      post(root, root.dataset.finishUrl, {
        token: state.token,
        typed: state.committed.slice(0, 2000),
        paste_attempts: state.pasteAttempts
      }).then(function (data) {
        resultInput(root).value = data.result;
        el.result.textContent = fill(root.dataset.resultTemplate || "", {
          cpm: data.cpm,
          accuracy: Math.round(data.accuracy * 100) + "%"
        });
        show(el.result, true);
        alertMessage("");
        endTest();
      }).catch(function (error) {
        alertMessage(error.serverMessage || root.dataset.msgFailed);
        endTest();
      }).then(function () {
        state.busy = false;
      });
    }

    function endTest() {
      stopTimers();
      state.token = null;
      el.input.blur();
      setRunning(false);
      show(el.result, Boolean(el.result.textContent.trim())); // the new result, or the one still in the form
    }

    function blocked(event) {
      event.preventDefault();
      state.pasteAttempts += 1;
      alertMessage(root.dataset.msgPaste);
    }

    el.start.addEventListener("click", startTest);
    if (el.retest) {
      el.retest.addEventListener("click", startTest);
    }
    el.finish.addEventListener("click", function () {
      finishTest(false);
    });

    el.input.addEventListener("paste", blocked);
    el.input.addEventListener("drop", blocked);
    el.input.addEventListener("dragover", function (event) {
      event.preventDefault();
    });
    el.input.addEventListener("contextmenu", function (event) {
      event.preventDefault(); // no "Paste" menu; a long press to move the caret is not a paste attempt
    });
    el.input.addEventListener("beforeinput", function (event) {
      if (/^insertFrom(Paste|Drop|PasteAsQuotation)/.test(event.inputType || "")) {
        blocked(event);
      }
    });
    el.input.addEventListener("compositionstart", function () {
      state.composing = true;
    });
    el.input.addEventListener("compositionend", function () {
      state.composing = false;
      state.committed = el.input.value;
      updateCount();
    });
    el.input.addEventListener("input", function (event) {
      if (state.composing || event.isComposing) {
        return; // pinyin still being composed: not typed text yet
      }
      state.committed = el.input.value;
      updateCount();
    });
  }

  window.PortalWidgets.boot("[data-typing-test]", init);
}());
