/*
 * The simulated buyer chat (templates/careers/_chat_test.html).
 * The server delivers each buyer message and times each reply; this script only asks for the next
 * message when the server says it is due, shows the conversation, keeps paste out, never sends a
 * half-composed input-method string, and puts the signed result into the form's hidden input.
 */
(function () {
  "use strict";

  if (window.chatTestLoaded) {
    return;
  }
  window.chatTestLoaded = true;
  var fill = window.PortalWidgets.fill;
  var show = window.PortalWidgets.show;
  var post = window.PortalWidgets.post;

  function init(root) {
    if (root.dataset.chatReady) {
      return;
    }
    root.dataset.chatReady = "1";

    function part(name) {
      return root.querySelector("[data-chat=" + name + "]");
    }

    var form = root.closest("form");
    var el = {
      alert: part("alert"),
      start: part("start"),
      win: part("window"),
      log: part("log"),
      typing: part("typing"),
      input: part("input"),
      send: part("send"),
      done: part("done"),
      result: form && form.querySelector("input[name=" + root.dataset.field + "]")
    };
    var norm = parseFloat(root.dataset.norm) || 15;
    var state = { session: null, index: null, composing: false, pastes: 0, timer: null, busy: false };

    var alertMessage = window.PortalWidgets.alerter(el.alert);

    function failed(error) {
      state.busy = false;
      alertMessage((error && error.serverMessage) || root.dataset.msgFailed);
    }

    function bubble(kind, text, seconds) {
      var item = document.createElement("li");
      item.className = "chat-bubble chat-" + kind;
      var body = document.createElement("div");
      body.className = "chat-text";
      body.textContent = text;
      item.appendChild(body);
      if (seconds !== undefined && seconds !== null) {
        var meta = document.createElement("div");
        meta.className = "chat-meta " + (seconds <= norm ? "text-success" : "text-danger");
        meta.textContent = fill(root.dataset.secondsTemplate || "", { seconds: seconds });
        item.appendChild(meta);
      }
      el.log.appendChild(item);
      el.log.scrollTop = el.log.scrollHeight; // the newest message, without scrolling the whole page
      item.scrollIntoView({ block: "nearest" });
    }

    function canReply(index) {
      state.index = index;
      el.input.disabled = false;
      el.send.disabled = false;
      el.input.focus();
    }

    function stopReplying() {
      state.index = null;
      el.input.disabled = true;
      el.send.disabled = true;
    }

    function finished(result) {
      window.clearTimeout(state.timer);
      stopReplying();
      show(el.typing, false);
      show(el.done, true);
      if (el.result && result) {
        el.result.value = result;
      }
    }

    function next(attempt) {
      attempt = attempt || 0;
      post(root, root.dataset.nextUrl, { session: state.session }).then(function (data) {
        alertMessage("");
        if (data.index !== undefined) {
          show(el.typing, false);
          bubble("buyer", data.text);
          canReply(data.index);
        } else if (data.wait !== undefined) {
          show(el.typing, true);
          state.timer = window.setTimeout(next, Math.max(200, data.wait * 1000));
        } else if (data.awaiting_reply !== undefined) {
          canReply(data.awaiting_reply);
        }
      }).catch(function (error) {
        if (error.serverMessage || attempt >= 5) {
          failed(error);
          return;
        }
        // the network dropped (a phone changing cells): asking again is safe, the server decides what is due
        alertMessage(root.dataset.msgFailed);
        state.timer = window.setTimeout(function () { next(attempt + 1); }, 1000 * Math.pow(2, attempt));
      });
    }

    function begin(data) {
      state.session = data.session;
      show(el.start, false);
      show(el.win, true); // visible first: the conversation so far scrolls into view as it is drawn
      el.log.textContent = "";
      data.turns.forEach(function (turn) {
        bubble("buyer", turn.text);
        if (turn.reply) {
          bubble("me", turn.reply, turn.seconds);
        }
      });
      el.log.scrollTop = el.log.scrollHeight;
      if (data.done) {
        finished(data.result);
      } else {
        next();
      }
    }

    function start() {
      alertMessage("");
      el.start.disabled = true;
      post(root, root.dataset.startUrl, {}).then(begin).catch(function (error) {
        el.start.disabled = false;
        failed(error);
      });
    }

    function send(event) {
      var text = el.input.value.trim();
      // the Send button always sends what is in the box; Enter waits for the input method (above)
      if (!text || state.index === null || state.busy || (state.composing && !event)) {
        return;
      }
      state.busy = true;
      alertMessage("");
      post(root, root.dataset.replyUrl, {
        session: state.session, index: state.index, text: text, pastes: state.pastes
      }).then(function (data) {
        state.busy = false;
        state.pastes = 0;
        el.input.value = "";
        bubble("me", text, data.seconds);
        stopReplying();
        if (data.done) {
          finished(data.result);
        } else {
          next();
        }
      }).catch(failed);
    }

    el.start.addEventListener("click", start);
    el.send.addEventListener("click", send);
    el.input.addEventListener("compositionstart", function () { state.composing = true; });
    el.input.addEventListener("compositionend", function () { state.composing = false; });
    el.input.addEventListener("keydown", function (event) {
      // Enter sends, except while the input method is composing (Enter then picks the candidate word);
      // WebKit ends the composition before that keydown and marks it only with keyCode 229
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !state.composing &&
          event.keyCode !== 229) {
        event.preventDefault();
        send(null);
      }
    });
    ["paste", "drop"].forEach(function (type) {
      el.input.addEventListener(type, function (event) {
        event.preventDefault();
        state.pastes += 1;
        alertMessage(root.dataset.msgPaste);
      });
    });
    // shown again after a validation error elsewhere in the form: show the finished run again. Not when
    // the chat itself was refused (its error is shown): a new run starts only when the candidate says so.
    if (el.result && el.result.value && !root.querySelector("[data-chat=error]")) {
      start();
    }
  }

  window.PortalWidgets.boot("[data-chat-test]", init);
})();
